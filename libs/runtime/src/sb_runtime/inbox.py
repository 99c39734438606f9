"""Inbox: record a processed event id in the same transaction as the effect."""
from __future__ import annotations

import asyncpg

CLAIM = """
INSERT INTO inbox (consumer, event_id) VALUES ($1, $2)
ON CONFLICT (consumer, event_id) DO NOTHING
RETURNING event_id
"""


async def claim(connection: asyncpg.Connection, consumer: str, event_id: str) -> bool:
    """True if this event is new for ``consumer``; call inside the effect's transaction.

    Concurrent redeliveries block on the primary key until the first transaction ends, so
    exactly one of them sees True and commits.
    """
    return await connection.fetchval(CLAIM, consumer, event_id) is not None


async def process_once(pool: asyncpg.Pool, consumer: str, event_id: str, effect) -> bool:
    """Run ``effect(connection)`` once per event id; its returned outbound messages join the outbox.

    Inbox row, effect and outbox rows commit together or not at all.
    """
    from sb_runtime import outbox  # local import keeps inbox usable on its own

    async with pool.acquire() as connection, connection.transaction():
        if not await claim(connection, consumer, event_id):
            return False
        messages = await effect(connection)
        await outbox.add(connection, messages or ())
    return True
