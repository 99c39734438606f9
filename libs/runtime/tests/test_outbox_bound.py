"""An event the broker can never take is set aside visibly; the events after it keep flowing."""
import json
import uuid

from prometheus_client import CollectorRegistry

from contracts import topics
from contracts.action_items import ActionItemRaised
from contracts.registry import decode
from sb_runtime import outbox
from sb_runtime.kafka import ensure_topics, new_producer
from sb_runtime.outbox import OutboundMessage, OutboxRelay
from sb_runtime.testing import read_topic

TOO_LARGE = 9 * 1024 * 1024  # over the broker's limit and the producer's 8 MiB max_request_size


def event(tenant_id: str, text: str) -> bytes:
    return json.dumps({"event_id": str(uuid.uuid4()), "event_type": "InvoicePdfFetched", "schema_version": 1,
                       "tenant_id": tenant_id, "data": {"netsuite_id": "901", "content_base64": text}}).encode()


async def queue(pool, topic: str, tenant_id: str) -> None:
    async with pool.acquire() as connection, connection.transaction():
        await outbox.add(connection, [OutboundMessage(topic, event(tenant_id, "before"), key=b"k"),
                                      OutboundMessage(topic, event(tenant_id, "x" * TOO_LARGE), key=b"k"),
                                      OutboundMessage(topic, event(tenant_id, "after"), key=b"k")])


async def drain(relay: OutboxRelay) -> None:
    for _ in range(5):
        if await relay.publish_batch() == 0:
            return


async def relay_queued(pool, kafka_bootstrap: str, topic: str, tenant_id: str, schema: str, **relay_options) -> None:
    """``queue`` the three events on ``topic`` and relay them to the broker until nothing is left."""
    await ensure_topics(kafka_bootstrap, {topic: 1, topics.ACTION_ITEMS: 1})
    await queue(pool, topic, tenant_id)
    producer = new_producer(kafka_bootstrap)
    await producer.start()
    try:
        await drain(OutboxRelay(pool, producer, schema, **relay_options))
    finally:
        await producer.stop()


async def published_texts(kafka_bootstrap, topic: str) -> list[str]:
    return [json.loads(r.value)["data"]["content_base64"] for r in await read_topic(kafka_bootstrap, topic, at_least=2)]


async def test_one_oversized_event_does_not_stop_the_events_after_it(pool, kafka_bootstrap, unique, schema):
    topic, tenant = f"test.bound.{unique}", f"t-{unique}"
    registry = CollectorRegistry()
    await relay_queued(pool, kafka_bootstrap, topic, tenant, schema, source="test-service", registry=registry)

    assert await published_texts(kafka_bootstrap, topic) == ["before", "after"]
    assert await pool.fetchval("SELECT count(*) FROM outbox WHERE published_at IS NULL") == 0
    [aside] = await pool.fetch("SELECT topic, reason FROM outbox_set_aside")
    assert aside["topic"] == topic and "over the bound" in aside["reason"]
    assert registry.get_sample_value("sb_outbox_set_aside_total", {"topic": topic}) == 1
    [item] = [decode(topics.ACTION_ITEMS, row["value"]) for row in await pool.fetch(
        "SELECT value FROM outbox WHERE topic = $1 AND published_at IS NOT NULL", topics.ACTION_ITEMS)]
    assert isinstance(item, ActionItemRaised) and item.tenant_id == tenant
    assert item.data.kind == "event_not_published" and item.data.netsuite_id == "901"
    assert item.data.source == "test-service" and topic in item.data.message


async def test_an_event_the_producer_refuses_as_too_large_is_set_aside_too(pool, kafka_bootstrap, unique, schema):
    topic, tenant = f"test.bound.{unique}", f"t-{unique}"
    # a bound set above what the producer and broker take: the refusal itself sets it aside
    await relay_queued(pool, kafka_bootstrap, topic, tenant, schema, max_event_bytes=64 * 1024 * 1024)

    assert await published_texts(kafka_bootstrap, topic) == ["before", "after"]
    [reason] = [row["reason"] for row in await pool.fetch("SELECT reason FROM outbox_set_aside")]
    assert "MessageSizeTooLargeError" in reason
    assert await pool.fetchval("SELECT count(*) FROM outbox WHERE published_at IS NULL") == 0


async def test_an_event_naming_no_tenant_is_set_aside_without_an_action_item(pool, kafka_bootstrap, unique, schema):
    topic = f"test.bound.{unique}"
    await ensure_topics(kafka_bootstrap, {topic: 1})
    async with pool.acquire() as connection, connection.transaction():
        await outbox.add(connection, [OutboundMessage(topic, b"\x00" * 4096), OutboundMessage(topic, b"small")])
    producer = new_producer(kafka_bootstrap)
    await producer.start()
    try:
        await drain(OutboxRelay(pool, producer, schema, max_event_bytes=1024))
    finally:
        await producer.stop()
    assert [r.value for r in await read_topic(kafka_bootstrap, topic, at_least=1)] == [b"small"]
    assert await pool.fetchval("SELECT count(*) FROM outbox_set_aside") == 1
    assert await pool.fetchval("SELECT count(*) FROM outbox WHERE topic = $1", topics.ACTION_ITEMS) == 0
