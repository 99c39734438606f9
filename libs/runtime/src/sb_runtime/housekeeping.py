"""Housekeeping: inbox and published outbox rows are pruned once past their retention.

Unpublished outbox rows are never pruned (they are work still to do), and neither are the rows
set aside (``outbox_set_aside``: an operator deals with them). Deletes go in bounded chunks so
no statement holds many locks or runs long. ``prune`` takes ``now`` so tests need no clock.
"""
from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import asyncpg

from sb_runtime.logging import get_logger

log = get_logger(__name__)

PRUNE_OUTBOX = """
DELETE FROM outbox WHERE id IN (
    SELECT id FROM outbox WHERE published_at IS NOT NULL AND published_at < $1 LIMIT $2)
"""
PRUNE_INBOX = """
DELETE FROM inbox WHERE (consumer, event_id) IN (
    SELECT consumer, event_id FROM inbox WHERE processed_at < $1 LIMIT $2)
"""


@dataclass(frozen=True)
class Retention:
    outbox_published: timedelta = timedelta(days=7)
    inbox: timedelta = timedelta(days=14)
    chunk: int = 5_000


@dataclass(frozen=True)
class Pruned:
    outbox: int
    inbox: int


async def prune(pool: asyncpg.Pool, now: datetime, retention: Retention = Retention()) -> Pruned:
    """Delete published outbox rows and inbox rows older than their retention at ``now``."""
    outbox = await _in_chunks(pool, PRUNE_OUTBOX, now - retention.outbox_published, retention.chunk)
    inbox = await _in_chunks(pool, PRUNE_INBOX, now - retention.inbox, retention.chunk)
    return Pruned(outbox, inbox)


async def _in_chunks(pool: asyncpg.Pool, statement: str, before: datetime, chunk: int) -> int:
    total = 0
    while True:
        async with pool.acquire() as connection:
            deleted = int((await connection.execute(statement, before, chunk)).split()[-1])
        total += deleted
        if deleted < chunk:
            return total


async def run(pool: asyncpg.Pool, retention: Retention, interval_s: float,
              clock: Callable[[], datetime] = lambda: datetime.now(UTC),
              on_pruned: Callable[[Pruned], None] | None = None) -> None:
    """Prune every ``interval_s`` until cancelled (first right away: a restart loop still prunes)."""
    while True:
        pruned = await prune(pool, clock(), retention)
        if pruned.outbox or pruned.inbox:
            log.info("housekeeping.pruned", outbox=pruned.outbox, inbox=pruned.inbox)
        if on_pruned is not None:
            on_pruned(pruned)
        await asyncio.sleep(interval_s)
