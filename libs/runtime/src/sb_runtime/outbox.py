"""Transactional outbox: rows written with the state change, published afterwards by a relay.

The relay publishes in id order under a per-schema advisory lock (one active relay per
service, so per-key order holds) and marks rows published only after the broker acked them.
A crash between publish and mark re-publishes: delivery is at-least-once, and every consumer
dedupes on ``event_id``. Rows of a rolled-back transaction never exist, so are never sent.
"""
from __future__ import annotations

import asyncio
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field

import asyncpg
from aiokafka import AIOKafkaProducer

from sb_runtime.logging import get_logger

log = get_logger(__name__)

INSERT = "INSERT INTO outbox (topic, key, value, headers) VALUES ($1, $2, $3, $4::jsonb)"
LOCK = "SELECT pg_try_advisory_xact_lock($1)"
PENDING = "SELECT id, topic, key, value, headers FROM outbox WHERE published_at IS NULL ORDER BY id LIMIT $1"
MARK = "UPDATE outbox SET published_at = now() WHERE id = ANY($1::bigint[])"
PRUNE = "DELETE FROM outbox WHERE published_at < now() - make_interval(secs => $1)"
COUNT_PENDING = "SELECT count(*) FROM outbox WHERE published_at IS NULL"


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


class OutboxRelay:
    """Publishes committed outbox rows of one schema to Kafka."""

    def __init__(self, pool: asyncpg.Pool, producer: AIOKafkaProducer, schema: str,
                 batch_size: int = 500, poll_interval_s: float = 0.2, keep_published_s: float = 86400):
        self._pool = pool
        self._producer = producer
        self._lock_key = int.from_bytes(hashlib.sha256(f"outbox:{schema}".encode()).digest()[:8], "big", signed=True)
        self._batch_size = batch_size
        self._poll_interval_s = poll_interval_s
        self._keep_published_s = keep_published_s
        self.published = 0

    async def publish_batch(self) -> int:
        """Publish one batch; returns how many rows were published (0 if idle or not leader)."""
        async with self._pool.acquire() as connection, connection.transaction():
            if not await connection.fetchval(LOCK, self._lock_key):
                return 0
            rows = await connection.fetch(PENDING, self._batch_size)
            if not rows:
                return 0
            sends = [
                await self._producer.send(
                    row["topic"], row["value"], key=row["key"],
                    headers=[(k, v.encode()) for k, v in row["headers"].items()],
                )
                for row in rows
            ]
            await asyncio.gather(*sends)
            await connection.execute(MARK, [row["id"] for row in rows])
        self.published += len(rows)
        return len(rows)

    async def run(self) -> None:
        """Loop until cancelled; a failed batch is retried after a pause, never skipped."""
        rounds = 0
        while True:
            try:
                sent = await self.publish_batch()
            except asyncio.CancelledError:
                raise
            except Exception as error:  # noqa: BLE001 - the relay must survive broker/db hiccups
                log.warning("outbox.publish_failed", error=repr(error))
                sent = 0
                await asyncio.sleep(1.0)
            rounds += 1
            if rounds % 3000 == 0:
                await self._prune()
            if sent < self._batch_size:
                await asyncio.sleep(self._poll_interval_s)

    async def _prune(self) -> None:
        async with self._pool.acquire() as connection:
            await connection.execute(PRUNE, self._keep_published_s)


def from_event(event) -> OutboundMessage:
    """An outbox message for a contract event (topic, per-record key, JSON bytes)."""
    return OutboundMessage(topic=event.TOPIC, value=event.to_bytes(), key=event.kafka_key(),
                           headers={"event_type": event.event_type, "event_id": event.event_id})
