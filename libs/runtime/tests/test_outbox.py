from sb_runtime import outbox
from sb_runtime.kafka import ensure_topics, new_producer
from sb_runtime.outbox import OutboundMessage, OutboxRelay
from sb_runtime.testing import read_topic


async def test_relay_publishes_exactly_the_committed_rows(pool, kafka_bootstrap, unique, schema):
    topic = f"test.outbox.{unique}"
    await ensure_topics(kafka_bootstrap, {topic: 3})
    async with pool.acquire() as connection:
        async with connection.transaction():
            await outbox.add(connection, [OutboundMessage(topic, f"kept-{i}".encode(), key=b"k") for i in range(5)])
        transaction = connection.transaction()
        await transaction.start()
        await outbox.add(connection, [OutboundMessage(topic, b"rolled-back", key=b"k")])
        await transaction.rollback()

    producer = new_producer(kafka_bootstrap)
    await producer.start()
    try:
        relay = OutboxRelay(pool, producer, schema)
        assert await relay.publish_batch() == 5
        assert await relay.publish_batch() == 0
    finally:
        await producer.stop()

    records = await read_topic(kafka_bootstrap, topic, at_least=5)
    assert [r.value for r in records] == [f"kept-{i}".encode() for i in range(5)]
    assert await pool.fetchval("SELECT count(*) FROM outbox WHERE published_at IS NULL") == 0


async def test_a_crash_between_commit_and_publish_still_publishes_after_restart(pool, kafka_bootstrap, unique, schema):
    topic = f"test.outbox.{unique}"
    await ensure_topics(kafka_bootstrap, {topic: 1})
    async with pool.acquire() as connection, connection.transaction():
        await outbox.add(connection, [OutboundMessage(topic, b"committed-before-crash")])

    # The process died after the commit and before any relay published: the row waits.
    assert await pool.fetchval("SELECT count(*) FROM outbox WHERE published_at IS NULL") == 1

    producer = new_producer(kafka_bootstrap)
    await producer.start()
    try:
        assert await OutboxRelay(pool, producer, schema).publish_batch() == 1
    finally:
        await producer.stop()
    records = await read_topic(kafka_bootstrap, topic, at_least=1)
    assert [r.value for r in records] == [b"committed-before-crash"]


async def test_a_batch_goes_to_the_partitions_send_picks_in_order_with_big_rows_among_them(
        pool, kafka_bootstrap, unique, schema):
    # The relay sends record batches per partition (issue 15): same partitions as producer.send, per-key order.
    topic = f"test.outbox.{unique}"
    await ensure_topics(kafka_bootstrap, {topic: 3})
    keys = [f"key-{n}".encode() for n in range(7)]
    messages = [OutboundMessage(topic, (f"{i}:" + ("x" * 20_000 if i % 50 == 7 else "")).encode(), key=keys[i % 7])
                for i in range(300)]
    async with pool.acquire() as connection, connection.transaction():
        await outbox.add(connection, messages)

    producer = new_producer(kafka_bootstrap)
    await producer.start()
    try:
        assert await OutboxRelay(pool, producer, schema).publish_batch() == 300
        expected = {key: (await producer.send_and_wait(topic, b"probe", key=key)).partition for key in keys}
    finally:
        await producer.stop()

    records = [r for r in await read_topic(kafka_bootstrap, topic, at_least=307) if r.value != b"probe"]
    assert len(records) == 300 and all(r.partition == expected[r.key] for r in records)
    for key in keys:
        sent = [int(r.value.split(b":")[0]) for r in records if r.key == key]
        assert sent == sorted(sent) and len(sent) == len({*sent})
    assert await pool.fetchval("SELECT count(*) FROM outbox WHERE published_at IS NULL") == 0
