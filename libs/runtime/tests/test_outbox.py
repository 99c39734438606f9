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
