import asyncio

import pytest

from sb_runtime import inbox
from sb_runtime.outbox import OutboundMessage


async def test_inbox_accepts_an_event_once_under_concurrent_redelivery(pool):
    await pool.execute("CREATE TABLE effects (event_id text, n int)")

    async def deliver(copy: int) -> bool:
        async def effect(connection):
            await connection.execute("INSERT INTO effects VALUES ($1, $2)", "evt-1", copy)
            await asyncio.sleep(0.05)  # widen the race window while holding the row lock
            return [OutboundMessage(topic="t", value=b"x")]

        return await inbox.process_once(pool, "consumer-a", "evt-1", effect)

    results = await asyncio.gather(*(deliver(i) for i in range(10)))

    assert results.count(True) == 1
    assert await pool.fetchval("SELECT count(*) FROM effects") == 1
    assert await pool.fetchval("SELECT count(*) FROM outbox") == 1
    assert await pool.fetchval("SELECT count(*) FROM inbox WHERE event_id = 'evt-1'") == 1


async def test_a_failed_effect_leaves_the_event_unclaimed(pool):
    async def failing(connection):
        await connection.execute("SELECT 1")
        raise RuntimeError("boom")

    with pytest.raises(RuntimeError, match="boom"):
        await inbox.process_once(pool, "consumer-a", "evt-2", failing)
    assert await pool.fetchval("SELECT count(*) FROM inbox WHERE event_id = 'evt-2'") == 0

    async def succeeding(connection):
        return []

    assert await inbox.process_once(pool, "consumer-a", "evt-2", succeeding) is True


async def test_the_same_event_is_new_for_another_consumer(pool):
    async def effect(connection):
        return []

    assert await inbox.process_once(pool, "a", "evt-3", effect)
    assert await inbox.process_once(pool, "b", "evt-3", effect)
    assert not await inbox.process_once(pool, "a", "evt-3", effect)
