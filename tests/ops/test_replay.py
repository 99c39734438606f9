"""Replay through the tool: rewinding a stopped consumer to offset 0 re-reads everything and changes nothing."""
from __future__ import annotations

import asyncio
import re

from datetime import UTC, datetime

from netsuite_emulator.testing import running_emulator

from sb_runtime.cluster import Cluster
from sb_runtime.kafka import ensure_topics
from sb_runtime.testing import read_topic, wait_until


async def committed(bootstrap: str, group: str, topic: str) -> dict[int, int | None]:
    async with Cluster(bootstrap) as cluster:
        found = await cluster.committed(group, await cluster.partitions(topic))
    return {tp.partition: offset for tp, offset in found.items()}


async def test_replaying_every_input_topic_from_offset_zero_changes_no_state(cli, ops, database_url, kafka_bootstrap,
                                                                             unique):
    schema, group = f"ops_replay_{unique}", f"ops-replay-{unique}"
    topics = [f"ops.payments.{unique}", f"ops.refunds.{unique}"]
    await ops.prepare(database_url, schema, ["t1", "t2"])
    events = {topic: [ops.payment(f"t{i % 2 + 1}") for i in range(6)] for topic in topics}
    consumer = ops.LedgerConsumer(database_url, kafka_bootstrap, schema, group, topics, f"ops.out.{unique}")
    async with consumer:
        for topic in topics:
            await ops.produce(kafka_bootstrap, topic, events[topic])
        await wait_until(lambda: ops.fetchval(database_url, f'SELECT count(*) = 12 FROM "{schema}".applied'),
                         timeout_s=60, message="12 payments applied")
        for topic in topics:
            await wait_until(lambda t=topic: _fully_committed(kafka_bootstrap, group, t), timeout_s=60,
                             message="offsets committed")
    state = await _state(ops, database_url, schema)

    with running_emulator() as ns:
        account = ns.create_account(seed={"customers": 1, "invoices": 1, "months": 1})["account_id"]
        for topic in topics:
            replay = asyncio.create_task(cli(
                "--netsuite-emulator-url", ns.url, "replay", "--group", group, "--schema", schema, "--topic", topic,
                "--to-offset", "0", "--yes", "--watch", "--watch-timeout", "90", "--netsuite-account", account))
            await wait_until(lambda t=topic: _rewound(kafka_bootstrap, group, t), timeout_s=60, message="rewound")
            async with ops.LedgerConsumer(database_url, kafka_bootstrap, schema, group, topics, f"ops.out.{unique}"):
                result = await replay  # the consumer starts once the rewind is committed, as in the runbook
            assert result.exit_code == 0, result.output
            assert "6 message(s) will be re-read" in result.output
            assert re.search(r"NetSuite writes \(emulator\)\s*│\s*0\s", result.output), result.output
            assert "no new effects" in result.output

    assert await _state(ops, database_url, schema) == state  # same rows, same applied_at, no new outbox rows


async def test_replay_refuses_while_the_consumer_group_is_running(cli, ops, database_url, kafka_bootstrap, unique):
    schema, group, topic = f"ops_busy_{unique}", f"ops-busy-{unique}", f"ops.busy.{unique}"
    await ops.prepare(database_url, schema, ["t1"])
    async with ops.LedgerConsumer(database_url, kafka_bootstrap, schema, group, [topic], f"ops.out.{unique}"):
        await ops.produce(kafka_bootstrap, topic, [ops.payment("t1") for _ in range(3)], partition=0)
        await wait_until(lambda: _fully_committed(kafka_bootstrap, group, topic), timeout_s=60, message="committed")
        before = await committed(kafka_bootstrap, group, topic)
        result = await cli("replay", "--group", group, "--topic", topic, "--to-earliest", "--yes")
        assert result.exit_code == 1
        assert "live members" in result.output
        assert await committed(kafka_bootstrap, group, topic) == before


async def test_replay_to_a_time_rewinds_to_the_first_message_at_or_after_it(cli, ops, kafka_bootstrap, unique):
    group, topic = f"ops-time-{unique}", f"ops.time.{unique}"
    await ensure_topics(kafka_bootstrap, {topic: 1})
    await ops.produce(kafka_bootstrap, topic, [ops.payment("t1") for _ in range(5)], partition=0)
    moved = await cli("replay", "--group", group, "--topic", topic, "--to-offset", "5", "--yes")
    assert moved.exit_code == 0, moved.output  # an empty group: the tool commits directly
    records = sorted(await read_topic(kafka_bootstrap, topic, at_least=5), key=lambda r: r.offset)
    cut = records[3].timestamp
    expected = next(r.offset for r in records if r.timestamp >= cut)

    result = await cli("replay", "--group", group, "--topic", topic, "--to-time",
                       datetime.fromtimestamp(cut / 1000, UTC).isoformat(), "--yes")

    assert result.exit_code == 0, result.output
    assert await committed(kafka_bootstrap, group, topic) == {0: expected}
    assert f"{5 - expected} message(s) will be re-read" in result.output


async def test_replay_to_a_time_after_the_last_message_rewinds_nothing(cli, ops, kafka_bootstrap, unique):
    group, topic = f"ops-future-{unique}", f"ops.future.{unique}"
    await ensure_topics(kafka_bootstrap, {topic: 1})
    await ops.produce(kafka_bootstrap, topic, [ops.payment("t1") for _ in range(2)], partition=0)
    await cli("replay", "--group", group, "--topic", topic, "--to-offset", "2", "--yes")
    result = await cli("replay", "--group", group, "--topic", topic, "--to-time", "2999-01-01T00:00:00Z", "--yes")
    assert result.exit_code == 0, result.output
    assert await committed(kafka_bootstrap, group, topic) == {0: 2}


async def _fully_committed(bootstrap: str, group: str, topic: str) -> bool:
    async with Cluster(bootstrap) as cluster:
        partitions = await cluster.partitions(topic)
        found, ends = await cluster.committed(group, partitions), await cluster.end_offsets(partitions)
    return all((found[tp] or 0) == ends[tp] for tp in partitions)


async def _rewound(bootstrap: str, group: str, topic: str) -> bool:
    return all(offset == 0 for offset in (await committed(bootstrap, group, topic)).values())


async def _state(ops, database_url: str, schema: str) -> dict:
    return {
        "applied": await ops.fetch(database_url, f'SELECT * FROM "{schema}".applied ORDER BY event_id'),
        "inbox": await ops.fetch(database_url, f'SELECT * FROM "{schema}".inbox ORDER BY event_id'),
        "outbox": await ops.fetchval(database_url, f'SELECT count(*) FROM "{schema}".outbox'),
    }
