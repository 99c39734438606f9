"""Transactional outbox: rows written with the state change, published afterwards by a relay.

The relay publishes in id order under a per-schema advisory lock (one active relay per
service, so per-key order holds) and marks rows published only after the broker acked them.
A crash between publish and mark re-publishes: delivery is at-least-once, and every consumer
dedupes on ``event_id``. Rows of a rolled-back transaction never exist, so are never sent.

A row the broker can never take (bigger than ``max_event_bytes``, a bound below the topics'
``max.message.bytes``, or refused by the broker as too large) is set aside (``set_aside``): moved
to ``outbox_set_aside``, raised as an action item and counted, so the rows after it keep flowing.
Pruning old rows is ``housekeeping``'s job.
"""
from __future__ import annotations

import asyncio
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field

import asyncpg
from aiokafka import AIOKafkaProducer
from aiokafka.errors import (
    MessageSizeTooLargeError,
    RecordListTooLargeError,
    RecordTooLargeError,
)
from aiokafka.partitioner import DefaultPartitioner
from prometheus_client import CollectorRegistry, Counter

from sb_runtime import set_aside
from sb_runtime.logging import get_logger

log = get_logger(__name__)

INSERT = "INSERT INTO outbox (topic, key, value, headers) VALUES ($1, $2, $3, $4::jsonb)"
LOCK = "SELECT pg_try_advisory_xact_lock($1)"
PENDING = "SELECT id, topic, key, value, headers FROM outbox WHERE published_at IS NULL ORDER BY id LIMIT $1"
MARK = "UPDATE outbox SET published_at = now() WHERE id = ANY($1::bigint[])"
COUNT_PENDING = "SELECT count(*) FROM outbox WHERE published_at IS NULL"
# What no retry can fix: the record is too large for the producer or the topic.
NEVER_PUBLISHABLE = (MessageSizeTooLargeError, RecordListTooLargeError, RecordTooLargeError)
DEFAULT_MAX_EVENT_BYTES = 1_000_000  # below Kafka's default max.message.bytes (1 MiB + 12)
BATCHED_MAX_BYTES = 16_384  # rows up to the producer's default batch size share record batches


@dataclass(frozen=True)
class OutboundMessage:
    topic: str
    value: bytes
    key: bytes | None = None
    headers: dict[str, str] = field(default_factory=dict)


async def add(connection: asyncpg.Connection, messages: Iterable[OutboundMessage]) -> int:
    """Queue messages inside the caller's transaction."""
    rows = [(m.topic, m.key, m.value, m.headers) for m in messages]
    if rows:
        await connection.executemany(INSERT, rows)
    return len(rows)


@dataclass
class _Sent:
    published: list[int] = field(default_factory=list)
    refused: list[tuple[asyncpg.Record, str]] = field(default_factory=list)
    failure: BaseException | None = None  # the first error a retry may fix


class OutboxRelay:
    """Publishes committed outbox rows of one schema to Kafka."""

    def __init__(self, pool: asyncpg.Pool, producer: AIOKafkaProducer, schema: str, batch_size: int = 500,
                 poll_interval_s: float = 0.2, max_event_bytes: int = DEFAULT_MAX_EVENT_BYTES,
                 source: str | None = None, registry: CollectorRegistry | None = None):
        self._pool = pool
        self._producer = producer
        self._lock_key = int.from_bytes(hashlib.sha256(f"outbox:{schema}".encode()).digest()[:8], "big", signed=True)
        self._batch_size = batch_size
        self._poll_interval_s = poll_interval_s
        self._max_event_bytes = max_event_bytes
        self._source = source or schema
        self._set_aside_total = Counter("sb_outbox_set_aside_total", "Outbox events set aside: the broker can never "
                                        "take them", ["topic"], registry=registry or CollectorRegistry())
        self.published = 0
        self.set_aside = 0
        # send() picks partitions with the producer's partitioner; batches must pick the same ones.
        self._partitioner = getattr(producer, "_partitioner", None) or DefaultPartitioner()
        self._partitions: dict[str, list[int]] = {}

    async def publish_batch(self) -> int:
        """Publish one batch; returns how many rows were published (0 if idle or not leader).

        Rows that can never be published are set aside in the same transaction; a failure a retry
        may fix is raised after the rows that did get through are marked.
        """
        async with self._pool.acquire() as connection, connection.transaction():
            if not await connection.fetchval(LOCK, self._lock_key):
                return 0
            rows = await connection.fetch(PENDING, self._batch_size)
            if not rows:
                return 0
            sent = await self._send(rows)
            if sent.published:
                await connection.execute(MARK, sent.published)
            for row, reason in sent.refused:
                await self._set_aside(connection, row, reason)
        self.published += len(sent.published)
        if sent.failure is not None:
            raise sent.failure
        return len(sent.published) + len(sent.refused)

    async def _send(self, rows: list[asyncpg.Record]) -> _Sent:
        """Rows go out as record batches per partition (``send_batch``: one future per batch, not per
        row); a row bigger than a batch goes alone through ``send``, after its partition's earlier rows,
        so the producer's own size check and per-partition order hold as before."""
        sent, waiting = _Sent(), []  # (rows, future of their batch or single send)
        self._partitions.clear()  # the topics' partitions as the producer's metadata has them now
        open_batches: dict[tuple[str, int], tuple[object, list[asyncpg.Record]]] = {}

        async def submit(topic_partition: tuple[str, int]) -> None:
            builder, batched = open_batches.pop(topic_partition)
            waiting.append((batched, await self._producer.send_batch(builder, topic_partition[0],
                                                                     partition=topic_partition[1])))

        for row in rows:
            size = set_aside.record_size(row)
            if size > self._max_event_bytes:
                sent.refused.append((row, f"{size} bytes, over the bound of {self._max_event_bytes}"))
                continue
            try:
                topic_partition = (row["topic"], await self._partition(row["topic"], row["key"]))
                headers = [(k, v.encode()) for k, v in row["headers"].items()]
                if size > BATCHED_MAX_BYTES:
                    if topic_partition in open_batches:
                        await submit(topic_partition)
                    waiting.append(([row], await self._producer.send(
                        row["topic"], row["value"], key=row["key"], partition=topic_partition[1], headers=headers)))
                    continue
                if topic_partition not in open_batches:
                    open_batches[topic_partition] = (self._producer.create_batch(), [])
                builder, batched = open_batches[topic_partition]
                if batched and builder.append(key=row["key"], value=row["value"], timestamp=None,
                                              headers=headers) is not None:
                    batched.append(row)
                    continue
                if batched:  # full: send it, start the next one with this row
                    await submit(topic_partition)
                    open_batches[topic_partition] = builder, batched = self._producer.create_batch(), []
                builder.append(key=row["key"], value=row["value"], timestamp=None, headers=headers)
                batched.append(row)
            except NEVER_PUBLISHABLE as error:
                sent.refused.append((row, f"{size} bytes, refused: {type(error).__name__}"))
            except Exception as error:  # noqa: BLE001 - the rest waits for the next round
                sent.failure = error
                break
        try:
            for topic_partition in list(open_batches):
                await submit(topic_partition)
        except Exception as error:  # noqa: BLE001 - those rows wait for the next round
            sent.failure = sent.failure or error
        results = await asyncio.gather(*(future for _, future in waiting), return_exceptions=True)
        for (batched, _), result in zip(waiting, results):
            if isinstance(result, NEVER_PUBLISHABLE) and len(batched) == 1:
                row = batched[0]
                sent.refused.append((row, f"{set_aside.record_size(row)} bytes, refused: {type(result).__name__}"))
            elif isinstance(result, BaseException):  # a refused batch of several: retried next round
                sent.failure = sent.failure or result
            else:
                sent.published.extend(row["id"] for row in batched)
        return sent

    async def _partition(self, topic: str, key: bytes | None) -> int:
        """The partition ``send`` would choose (the producer's partitioner over the topic's partitions)."""
        partitions = self._partitions.get(topic)
        if partitions is None:
            partitions = self._partitions[topic] = list(await self._producer.partitions_for(topic))
        return self._partitioner(key, partitions, partitions)

    async def _set_aside(self, connection: asyncpg.Connection, row: asyncpg.Record, reason: str) -> None:
        await set_aside.set_aside(connection, row, reason, self._source)
        self._set_aside_total.labels(row["topic"]).inc()
        self.set_aside += 1
        log.error("outbox.event_set_aside", topic=row["topic"], outbox_id=row["id"], reason=reason,
                  event_id=row["headers"].get("event_id"), event_type=row["headers"].get("event_type"))

    async def run(self) -> None:
        """Loop until cancelled; a failed batch is retried after a pause, never skipped."""
        while True:
            try:
                sent = await self.publish_batch()
            except asyncio.CancelledError:
                raise
            except Exception as error:  # noqa: BLE001 - the relay must survive broker/db hiccups
                log.warning("outbox.publish_failed", error=repr(error))
                sent = 0
                await asyncio.sleep(1.0)
            if sent < self._batch_size:
                await asyncio.sleep(self._poll_interval_s)


def from_event(event) -> OutboundMessage:
    """An outbox message for a contract event (topic, per-record key, JSON bytes)."""
    return OutboundMessage(topic=event.TOPIC, value=event.to_bytes(), key=event.kafka_key(),
                           headers={"event_type": event.event_type, "event_id": event.event_id})
