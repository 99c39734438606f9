"""Dead letters: read them with their reasons, and send fixed ones back to their source topic.

A dead letter is the original message (bytes, key, headers) plus ``dlq.*`` headers written by
``sb_runtime.kafka.DeadLetters``. A redrive sends the original bytes and key, with the original
headers minus ``dlq.*``, to ``dlq.source.topic`` on ``dlq.source.partition`` and records the
dead letter's position in ``ops.redriven`` in the same database transaction; a position already
there is skipped. If the tool dies between the send and the commit, the next redrive sends it
again: consumers dedupe on ``event_id``, so that costs a message, never a second effect.
"""
from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

import asyncpg
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer

from sb_ops import ledger
from sb_runtime.cluster import Cluster
from sb_ops.letters import REDRIVEN_FROM, DeadLetter, RedriveResult, choose, dlq_name

__all__ = ["DeadLetter", "NotFound", "RedriveResult", "choose", "dlq_name", "read", "redrive", "redriven",
           "redriven_sources", "show"]


class NotFound(Exception):
    pass


async def read(cluster: Cluster, dlq_topic: str, only: set[tuple[int, int]] | None = None,
               on_progress: Callable[[int, int], None] = lambda done, total: None) -> list[DeadLetter]:
    """Every dead letter on ``dlq_topic`` (or only the (partition, offset) pairs in ``only``)."""
    partitions = await cluster.partitions(dlq_topic)
    begins, ends = await cluster.beginning_offsets(partitions), await cluster.end_offsets(partitions)
    wanted = {tp: (begins[tp], ends[tp]) for tp in partitions if ends[tp] > begins[tp]}
    if only is not None:
        wanted = {tp: span for tp, span in wanted.items() if any(p == tp.partition for p, _ in only)}
    total = sum(end - begin for begin, end in wanted.values())
    letters: list[DeadLetter] = []
    if not wanted:
        return letters
    consumer = AIOKafkaConsumer(bootstrap_servers=cluster.bootstrap_servers, enable_auto_commit=False)
    await consumer.start()
    try:
        consumer.assign(list(wanted))
        for tp, (begin, _) in wanted.items():
            consumer.seek(tp, _first(begin, tp.partition, only))
        stop_at = {tp: _stop(end, tp.partition, only) for tp, (_, end) in wanted.items()}
        remaining, done = set(wanted), 0
        while remaining:
            batch = await consumer.getmany(*remaining, timeout_ms=500)
            for records in batch.values():
                done += len(records)
                letters.extend(_letter(r) for r in records if only is None or (r.partition, r.offset) in only)
            for tp in list(remaining):
                if await consumer.position(tp) >= stop_at[tp]:
                    remaining.discard(tp)
            on_progress(done, total)
    finally:
        await consumer.stop()
    return sorted(letters, key=lambda letter: (letter.partition, letter.offset))


def _first(begin: int, partition: int, only: set[tuple[int, int]] | None) -> int:
    if not only:
        return begin
    offsets = [o for p, o in only if p == partition]
    return max(begin, min(offsets)) if offsets else begin


def _stop(end: int, partition: int, only: set[tuple[int, int]] | None) -> int:
    if not only:
        return end
    return min(end, max(o for p, o in only if p == partition) + 1)


def _letter(record) -> DeadLetter:
    return DeadLetter(record.topic, record.partition, record.offset, record.timestamp, record.key,
                      record.value or b"", tuple(record.headers or ()))


async def show(cluster: Cluster, dlq_topic: str, partition: int, offset: int) -> DeadLetter:
    found = await read(cluster, dlq_topic, only={(partition, offset)})
    if not found:
        raise NotFound(f"no dead letter at {dlq_topic}/{partition}/{offset}")
    return found[0]


async def redrive(cluster: Cluster, database_url: str, letters: list[DeadLetter],
                  on_sent: Callable[[DeadLetter, bool], None] = lambda letter, sent: None) -> RedriveResult:
    """Send each letter's original message back to its source topic, once."""
    connection = await asyncpg.connect(database_url)
    producer = AIOKafkaProducer(bootstrap_servers=cluster.bootstrap_servers, acks="all", enable_idempotence=False)
    await producer.start()
    sent, skipped = [], []
    try:
        await ledger.install(connection)
        for letter in letters:
            async with connection.transaction():
                fresh = await ledger.claim(connection, letter, letter.event_id)
                if fresh:
                    await _send(producer, letter)
            (sent if fresh else skipped).append(letter)
            on_sent(letter, fresh)
    finally:
        await producer.stop()
        await connection.close()
    return RedriveResult(tuple(sent), tuple(skipped))


async def _send(producer: AIOKafkaProducer, letter: DeadLetter) -> None:
    headers = letter.original_headers + [(REDRIVEN_FROM, letter.position.encode())]
    partitions = await producer.partitions_for(letter.source_topic)
    partition = letter.source_partition if letter.source_partition in partitions else None
    await producer.send_and_wait(letter.source_topic, letter.value, key=letter.key, partition=partition,
                                 headers=headers)


async def redriven_sources(database_url: str, dlq_topic: str) -> set[tuple[int, int | None]]:
    connection = await asyncpg.connect(database_url)
    try:
        await ledger.install(connection)
        return await ledger.redriven_sources(connection, dlq_topic)
    finally:
        await connection.close()


async def redriven(database_url: str, dlq_topic: str) -> dict[tuple[int, int], datetime]:
    connection = await asyncpg.connect(database_url)
    try:
        await ledger.install(connection)
        return await ledger.redriven(connection, dlq_topic)
    finally:
        await connection.close()
