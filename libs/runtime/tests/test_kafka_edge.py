import asyncio

from faststream.kafka import KafkaBroker

from contracts.registry import decode
from sb_runtime.errors import TransientError
from sb_runtime.kafka import ConsumerEdge, DeadLetters, ensure_topics, new_producer, subscribe
from sb_runtime.testing import read_topic, wait_until

GOOD = (b'{"event_id":"0b0c6d5e-3f0c-4a55-9a63-8f6f3c1b2d11","event_type":"PaymentFailed","schema_version":1,'
        b'"tenant_id":"msp-acme","occurred_at":"2026-11-26T10:15:04.123Z","data":{"payment_id":"pay_1",'
        b'"invoice_id":"inv_1","reason":"ach_return_R01","failed_at":"2026-11-28T08:00:00Z"}}')


async def run_edge(kafka_bootstrap, topic, group, process, consumer_options):
    producer = new_producer(kafka_bootstrap)
    await producer.start()
    broker = KafkaBroker(kafka_bootstrap)
    edge = ConsumerEdge(process, DeadLetters(producer, group), base_backoff_s=0.01)
    subscribe(broker, topic, group, edge, **consumer_options)
    await broker.start()
    return producer, broker


async def test_poison_goes_to_the_dlq_with_its_reason_and_the_next_message_is_processed(
        kafka_bootstrap, unique, consumer_options):
    topic = f"platform.payments.test{unique}"
    await ensure_topics(kafka_bootstrap, {topic: 1, topic + ".dlq": 1})
    seen: list[str] = []

    async def process(message):
        event = decode("platform.payments.v1", message.value)
        seen.append(event.data.payment_id)

    producer, broker = await run_edge(kafka_bootstrap, topic, f"g-{unique}", process, consumer_options)
    try:
        await producer.send_and_wait(topic, b'{"event_type": "PaymentFailed", "oops": 1}', key=b"msp-acme")
        await producer.send_and_wait(topic, GOOD, key=b"msp-acme")

        async def processed():
            return seen

        await wait_until(processed, timeout_s=30, message="the good message")
    finally:
        await broker.stop()
        await producer.stop()

    dead = await read_topic(kafka_bootstrap, topic + ".dlq", at_least=1)
    assert len(dead) == 1 and seen == ["pay_1"]
    headers = dict(dead[0].headers)
    assert dead[0].value == b'{"event_type": "PaymentFailed", "oops": 1}'
    assert b"ValidationError" in headers["dlq.reason"]
    assert headers["dlq.source.topic"] == topic.encode()
    assert headers["dlq.source.partition"] == b"0"
    assert headers["dlq.source.offset"] == b"0"


async def test_a_transient_failure_is_retried_not_dead_lettered(kafka_bootstrap, unique, consumer_options):
    topic = f"test.transient.{unique}"
    await ensure_topics(kafka_bootstrap, {topic: 1, topic + ".dlq": 1})
    attempts: list[int] = []

    async def process(message):
        attempts.append(message.offset)
        if len(attempts) < 3:
            raise TransientError("NetSuite is busy")

    producer, broker = await run_edge(kafka_bootstrap, topic, f"g-{unique}", process, consumer_options)
    try:
        await producer.send_and_wait(topic, b"anything")

        async def done():
            return len(attempts) >= 3

        await wait_until(done, timeout_s=30, message="three attempts")
        await asyncio.sleep(0)
    finally:
        await broker.stop()
        await producer.stop()
    assert attempts == [0, 0, 0]
    assert await read_topic(kafka_bootstrap, topic + ".dlq", at_least=1, timeout_s=2) == []
