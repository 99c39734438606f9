"""The ``ops`` schema: which dead letters were redriven (so a second redrive skips them)."""
from __future__ import annotations

from pathlib import Path

import asyncpg

from sb_runtime.migrate import apply_migrations

SCHEMA = "ops"
MIGRATIONS = Path(__file__).with_name("migrations")

CLAIM = """
INSERT INTO ops.redriven (dlq_topic, dlq_partition, dlq_offset, source_topic, source_partition, source_offset, event_id)
VALUES ($1, $2, $3, $4, $5, $6, $7)
ON CONFLICT (dlq_topic, dlq_partition, dlq_offset) DO NOTHING
RETURNING redriven_at
"""
REDRIVEN = """
SELECT dlq_partition, dlq_offset, source_partition, source_offset, redriven_at FROM ops.redriven WHERE dlq_topic = $1
"""
COUNTS = "SELECT dlq_topic, count(*) AS n FROM ops.redriven GROUP BY dlq_topic"


async def install(connection: asyncpg.Connection) -> list[str]:
    return await apply_migrations(connection, SCHEMA, MIGRATIONS)


async def claim(connection: asyncpg.Connection, letter, event_id: str | None) -> bool:
    """Record the redrive inside the caller's transaction; False if it was redriven before."""
    found = await connection.fetchval(CLAIM, letter.topic, letter.partition, letter.offset, letter.source_topic,
                                      letter.source_partition, letter.source_offset, event_id)
    return found is not None


async def redriven(connection: asyncpg.Connection, dlq_topic: str) -> dict[tuple[int, int], object]:
    rows = await connection.fetch(REDRIVEN, dlq_topic)
    return {(row["dlq_partition"], row["dlq_offset"]): row["redriven_at"] for row in rows}


async def redriven_sources(connection: asyncpg.Connection, dlq_topic: str) -> set[tuple[int, int | None]]:
    """Source positions (partition, offset) whose message was already sent back."""
    rows = await connection.fetch(REDRIVEN, dlq_topic)
    return {(row["source_partition"], row["source_offset"]) for row in rows}


async def counts(connection: asyncpg.Connection) -> dict[str, int]:
    """Redriven dead letters per DLQ topic; empty (and nothing created) before the first redrive."""
    if await connection.fetchval("SELECT to_regclass('ops.redriven')") is None:
        return {}
    return {row["dlq_topic"]: row["n"] for row in await connection.fetch(COUNTS)}
