"""A database outage longer than the retry budget is infrastructure trouble, not a bad message: the
consumer keeps retrying and never dead-letters it; once the database is back, it is processed once."""
import asyncpg
from faststream.kafka import KafkaBroker

from sb_runtime import inbox
from sb_runtime.db import create_pool
from sb_runtime.kafka import ConsumerEdge, DeadLetters, ensure_topics, new_producer, subscribe
from sb_runtime.testing import postgres_proxy, read_topic, wait_until

MAX_ATTEMPTS = 2  # the retry budget of a failure that is not transient


async def test_a_database_outage_longer_than_the_retry_budget_dead_letters_nothing(
        database_url, pool, schema, kafka_bootstrap, unique, consumer_options):
    await pool.execute("CREATE TABLE effects (event_id text)")
    proxy, proxied = await postgres_proxy(database_url)
    through_proxy = await create_pool(proxied, schema, min_size=1, max_size=2)
    topic = f"test.outage.{unique}"
    await ensure_topics(kafka_bootstrap, {topic: 1, topic + ".dlq": 1})
    attempts: list[int] = []

    async def process(message):
        attempts.append(message.offset)

        async def effect(connection: asyncpg.Connection):
            await connection.execute("INSERT INTO effects VALUES ($1)", "evt-1")
            return []

        await inbox.process_once(through_proxy, "outage-test", "evt-1", effect)

    producer = new_producer(kafka_bootstrap)
    await producer.start()
    broker = KafkaBroker(kafka_bootstrap)
    edge = ConsumerEdge(process, DeadLetters(producer, f"g-{unique}"), max_attempts=MAX_ATTEMPTS,
                        base_backoff_s=0.01, max_backoff_s=0.05)
    subscribe(broker, topic, f"g-{unique}", edge, **consumer_options)
    await broker.start()
    try:
        await proxy.cut()
        await producer.send_and_wait(topic, b"a valid message", key=b"t1")

        async def outage_outlasted_the_budget():
            return len(attempts) >= 3 * MAX_ATTEMPTS

        await wait_until(outage_outlasted_the_budget, timeout_s=30, message="retries during the outage")
        await proxy.restore()

        async def processed():
            return await pool.fetchval("SELECT count(*) FROM effects") == 1

        await wait_until(processed, timeout_s=30, message="the message processed after the outage")
    finally:
        await broker.stop()
        await producer.stop()
        await through_proxy.close()
        await proxy.close()
    assert await read_topic(kafka_bootstrap, topic + ".dlq", at_least=1, timeout_s=2) == []
    assert await pool.fetchval("SELECT count(*) FROM inbox WHERE consumer = 'outage-test'") == 1

