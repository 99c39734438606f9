"""The batch edge: one poison or failing record is dead-lettered alone, its neighbours are applied."""
import json

from faststream.kafka import KafkaBroker

from sb_runtime.errors import TransientError
from sb_runtime.kafka import DeadLetters, ensure_topics, new_producer
from sb_runtime.kafka_batch import BatchEdge, subscribe_batch
from sb_runtime.testing import read_topic, wait_until


async def run_batches(kafka_bootstrap, consumer_options, topic, group, apply, messages, **edge_options):
    await ensure_topics(kafka_bootstrap, {topic: 1, topic + ".dlq": 1})
    producer = new_producer(kafka_bootstrap)
    await producer.start()
    for value in messages:  # all there before the consumer starts: they arrive as one batch
        await producer.send_and_wait(topic, value, key=b"k")
    broker = KafkaBroker(kafka_bootstrap)
    edge = BatchEdge(lambda message: json.loads(message.value), apply, DeadLetters(producer, group),
                     base_backoff_s=0.01, **edge_options)
    subscribe_batch(broker, [topic], group, edge, max_records=100, **consumer_options)
    await broker.start()
    return producer, broker


async def test_a_poison_record_is_dead_lettered_and_the_rest_of_its_batch_applied(
        kafka_bootstrap, unique, consumer_options):
    topic = f"test.batch.poison.{unique}"
    batches: list[list[int]] = []

    async def apply(items):
        batches.append([item["n"] for item in items])

    producer, broker = await run_batches(kafka_bootstrap, consumer_options, topic, f"g-{unique}", apply,
                                         [b'{"n": 1}', b"{broken", b'{"n": 3}'])
    try:
        await wait_until(holds(lambda: [n for b in batches for n in b] == [1, 3]), timeout_s=30, message="both good records")
    finally:
        await broker.stop()
        await producer.stop()
    dead = await read_topic(kafka_bootstrap, topic + ".dlq", at_least=1)
    assert [d.value for d in dead] == [b"{broken"] and batches == [[1, 3]]
    assert b"JSONDecodeError" in dict(dead[0].headers)["dlq.reason"]


async def test_a_record_that_keeps_failing_is_isolated_retried_and_dead_lettered(
        kafka_bootstrap, unique, consumer_options):
    topic = f"test.batch.failing.{unique}"
    applied: list[int] = []
    attempts: list[int] = []

    async def apply(items):
        if any(item["n"] == 2 for item in items):
            attempts.append(len(items))
            raise ValueError("no such customer")
        applied.extend(item["n"] for item in items)

    producer, broker = await run_batches(kafka_bootstrap, consumer_options, topic, f"g-{unique}", apply,
                                         [b'{"n": 1}', b'{"n": 2}', b'{"n": 3}'], max_attempts=3)
    try:
        await wait_until(holds(lambda: 3 in applied), timeout_s=30, message="the record after the failing one")
    finally:
        await broker.stop()
        await producer.stop()
    dead = await read_topic(kafka_bootstrap, topic + ".dlq", at_least=1)
    assert [d.value for d in dead] == [b'{"n": 2}']
    assert b"gave up after 3 attempts" in dict(dead[0].headers)["dlq.reason"]
    assert sorted(set(applied)) == [1, 3] and attempts.count(1) == 3


async def test_a_transient_failure_retries_the_whole_batch(kafka_bootstrap, unique, consumer_options):
    topic = f"test.batch.transient.{unique}"
    calls: list[list[int]] = []

    async def apply(items):
        calls.append([item["n"] for item in items])
        if len(calls) < 3:
            raise TransientError("database restarting")

    producer, broker = await run_batches(kafka_bootstrap, consumer_options, topic, f"g-{unique}", apply, [b'{"n": 1}', b'{"n": 2}'])
    try:
        await wait_until(holds(lambda: len(calls) >= 3), timeout_s=30, message="three attempts")
    finally:
        await broker.stop()
        await producer.stop()
    assert calls == [[1, 2]] * 3
    assert await read_topic(kafka_bootstrap, topic + ".dlq", at_least=1, timeout_s=2) == []


def holds(predicate):
    async def check():
        return predicate()
    return check
