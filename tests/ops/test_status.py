"""``suitebridge status`` shows a lag that really exists, and the dead letters waiting."""
from __future__ import annotations

import re

from sb_ops import status
from sb_runtime.cluster import Cluster
from sb_runtime.testing import wait_until


async def test_status_shows_the_lag_of_a_stopped_consumer(cli, ops, database_url, kafka_bootstrap, unique):
    schema, group, topic = f"ops_lag_{unique}", f"ops-lag-{unique}", f"ops.lag.{unique}"
    await ops.prepare(database_url, schema, ["t1"])
    async with ops.LedgerConsumer(database_url, kafka_bootstrap, schema, group, [topic], f"ops.out.{unique}"):
        await ops.produce(kafka_bootstrap, topic, [ops.payment("t1") for _ in range(4)], partition=0)
        await ops.produce(kafka_bootstrap, topic, [b"poison"], partition=1)
        await wait_until(lambda: _lag_is(kafka_bootstrap, group, topic, {0: 0, 1: 0}), timeout_s=60,
                         message="caught up")
    await ops.produce(kafka_bootstrap, topic, [ops.payment("t1") for _ in range(3)], partition=0)

    assert await _lags(kafka_bootstrap, group, topic) == {0: 3, 1: 0}
    result = await cli("status", "--group", f"{group}={topic}")
    assert result.exit_code == 0, result.output
    assert re.search(rf"{group}\s*│\s*{re.escape(topic)}\s*│\s*2\s*│\s*3\s*│\s*p0=3\s", result.output)
    detail = await cli("status", "--group", f"{group}={topic}", "--partitions")
    assert re.search(rf"{group}\s*│\s*{re.escape(topic)}\s*│\s*0\s*│\s*4\s*│\s*7\s*│\s*3", detail.output)
    assert re.search(rf"{re.escape(topic)}\.dlq\s*│\s*1\s*│\s*0\s*│\s*1", result.output), result.output


async def test_status_finds_the_topics_of_a_group_it_does_not_know(ops, database_url, kafka_bootstrap, unique):
    schema, group, topic = f"ops_find_{unique}", f"ops-find-{unique}", f"ops.find.{unique}"
    await ops.produce(kafka_bootstrap, topic, [ops.payment("t1")], partition=0)
    await ops.prepare(database_url, schema, ["t1"])
    async with ops.LedgerConsumer(database_url, kafka_bootstrap, schema, group, [topic], f"ops.out.{unique}"):
        await wait_until(lambda: _lag_is(kafka_bootstrap, group, topic, {0: 0}), timeout_s=60, message="caught up")
    async with Cluster(kafka_bootstrap) as cluster:
        assert await status.groups_on(cluster, group) == (topic,)


async def _lags(bootstrap: str, group: str, topic: str) -> dict[int, int]:
    async with Cluster(bootstrap) as cluster:
        rows = await status.lags(cluster, {group: (topic,)})
    return {row.partition: row.lag for row in rows}


async def _lag_is(bootstrap: str, group: str, topic: str, expected: dict[int, int]) -> bool:
    found = await _lags(bootstrap, group, topic)
    return {p: found.get(p) for p in expected} == expected


async def test_end_offsets_count_every_record_of_a_batch(kafka_bootstrap, unique):
    """Tansu 0.6 reports the end of a multi-record batch as its base offset + 1; the tool reads past it."""
    import asyncio

    from aiokafka import AIOKafkaProducer

    from sb_runtime.kafka import ensure_topics

    topic = f"ops.batch.{unique}"
    await ensure_topics(kafka_bootstrap, {topic: 1})
    producer = AIOKafkaProducer(bootstrap_servers=kafka_bootstrap, enable_idempotence=False, linger_ms=50)
    await producer.start()
    try:
        await asyncio.gather(*[await producer.send(topic, b"x", partition=0) for _ in range(5)])
    finally:
        await producer.stop()
    async with Cluster(kafka_bootstrap) as cluster:
        assert list((await cluster.end_offsets(await cluster.partitions(topic))).values()) == [5]
