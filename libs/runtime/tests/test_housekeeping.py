"""Housekeeping on real PostgreSQL with an explicit "now": old published outbox rows and old inbox
rows go; unpublished and set-aside rows stay, however old."""
from datetime import UTC, datetime, timedelta

from sb_runtime.housekeeping import Pruned, Retention, prune

NOW = datetime(2026, 12, 6, 12, 0, tzinfo=UTC)


async def outbox_row(pool, name: str, created: timedelta, published: timedelta | None) -> None:
    await pool.execute("INSERT INTO outbox (topic, value, created_at, published_at) VALUES ($1, 'v', $2, $3)",
                       name, NOW - created, NOW - published if published is not None else None)


async def test_published_outbox_and_inbox_rows_past_retention_are_pruned_and_nothing_else(pool):
    await outbox_row(pool, "published-8-days-ago", timedelta(days=9), timedelta(days=8))
    await outbox_row(pool, "published-8-days-ago-too", timedelta(days=9), timedelta(days=8))
    await outbox_row(pool, "published-yesterday", timedelta(days=1), timedelta(days=1))
    await outbox_row(pool, "never-published-30-days", timedelta(days=30), None)
    await pool.execute("INSERT INTO outbox_set_aside (id, topic, value, created_at, set_aside_at, reason) "
                       "VALUES (-1, 'aside-60-days', 'v', $1, $1, 'too large')", NOW - timedelta(days=60))
    await pool.executemany("INSERT INTO inbox (consumer, event_id, processed_at) VALUES ('c', $1, $2)",
                           [("15-days", NOW - timedelta(days=15)), ("15-days-too", NOW - timedelta(days=15)),
                            ("13-days", NOW - timedelta(days=13)), ("today", NOW)])

    pruned = await prune(pool, NOW, Retention(timedelta(days=7), timedelta(days=14), chunk=1))

    assert pruned == Pruned(outbox=2, inbox=2)
    assert {r["topic"] for r in await pool.fetch("SELECT topic FROM outbox")} == {
        "published-yesterday", "never-published-30-days"}
    assert {r["event_id"] for r in await pool.fetch("SELECT event_id FROM inbox")} == {"13-days", "today"}
    assert await pool.fetchval("SELECT count(*) FROM outbox_set_aside") == 1
    assert await prune(pool, NOW, Retention(timedelta(days=7), timedelta(days=14))) == Pruned(0, 0)


async def test_a_later_now_prunes_what_has_since_aged(pool):
    await outbox_row(pool, "published-yesterday", timedelta(days=1), timedelta(days=1))
    assert await prune(pool, NOW) == Pruned(0, 0)
    assert await prune(pool, NOW + timedelta(days=7)) == Pruned(1, 0)
