"""Tenant leases in PostgreSQL: one instance polls a tenant at a time, least recently polled first.

A lease is a row lock-free claim (owner + expiry) taken with ``FOR UPDATE SKIP LOCKED``; a crashed
instance's lease expires. Every page commit re-checks and extends the lease in its own
transaction (a fence), so an instance that lost its lease can never commit work for the tenant.
"""
from __future__ import annotations

import asyncpg

from connector.errors import LeaseLost

SCHEDULE = """
INSERT INTO tenant_schedule (tenant_id, active, next_poll_at) VALUES ($1, true, now())
ON CONFLICT (tenant_id) DO UPDATE SET active = true, next_poll_at = now(), failures = 0
"""
UNSCHEDULE = "UPDATE tenant_schedule SET active = false WHERE tenant_id = $1"
ACQUIRE = """
UPDATE tenant_schedule AS s SET lease_owner = $1, lease_expires_at = now() + make_interval(secs => $2)
WHERE s.tenant_id IN (
    SELECT tenant_id FROM tenant_schedule
    WHERE active AND next_poll_at <= now() AND (lease_owner IS NULL OR lease_expires_at < now())
    ORDER BY last_polled_at NULLS FIRST, next_poll_at, tenant_id
    LIMIT $3
    FOR UPDATE SKIP LOCKED)
RETURNING s.tenant_id, s.failures
"""
FENCE = """
UPDATE tenant_schedule SET lease_expires_at = now() + make_interval(secs => $3)
WHERE tenant_id = $1 AND lease_owner = $2 AND lease_expires_at > now()
RETURNING tenant_id
"""
RELEASE = """
UPDATE tenant_schedule SET lease_owner = NULL, lease_expires_at = NULL, last_polled_at = clock_timestamp(),
    next_poll_at = clock_timestamp() + make_interval(secs => $3), polls = polls + 1, failures = $4
WHERE tenant_id = $1 AND lease_owner = $2
"""

OTHERS_WAITING = """
SELECT EXISTS (SELECT 1 FROM tenant_schedule WHERE active AND tenant_id <> $1 AND next_poll_at <= now()
               AND (lease_owner IS NULL OR lease_expires_at < now()))
"""

REQUEST_RESYNC = """
UPDATE tenant_schedule SET resync_from = $2, next_poll_at = now(), active = true WHERE tenant_id = $1
RETURNING tenant_id
"""
GET_RESYNC = "SELECT resync_from FROM tenant_schedule WHERE tenant_id = $1"
CLEAR_RESYNC = "UPDATE tenant_schedule SET resync_from = NULL WHERE tenant_id = $1 AND resync_from = $2"


async def request_resync(connection, tenant_id: str, since: str) -> bool:
    return await connection.fetchval(REQUEST_RESYNC, tenant_id, since) is not None


async def resync_from(connection, tenant_id: str) -> str | None:
    return await connection.fetchval(GET_RESYNC, tenant_id)


async def clear_resync(connection, tenant_id: str, since: str) -> None:
    await connection.execute(CLEAR_RESYNC, tenant_id, since)


async def schedule(connection, tenant_id: str) -> None:
    await connection.execute(SCHEDULE, tenant_id)


async def unschedule(connection, tenant_id: str) -> None:
    await connection.execute(UNSCHEDULE, tenant_id)


async def acquire(pool: asyncpg.Pool, owner: str, ttl_s: float, limit: int) -> list[tuple[str, int]]:
    if limit <= 0:
        return []
    rows = await pool.fetch(ACQUIRE, owner, ttl_s, limit)
    return [(row["tenant_id"], row["failures"]) for row in rows]


async def fence(connection, tenant_id: str, owner: str, ttl_s: float) -> None:
    """Inside a transaction: hold the lease row until commit, or raise ``LeaseLost``."""
    if await connection.fetchval(FENCE, tenant_id, owner, ttl_s) is None:
        raise LeaseLost(f"lease on tenant {tenant_id} lost")


async def renew(pool: asyncpg.Pool, tenant_id: str, owner: str, ttl_s: float) -> bool:
    return await pool.fetchval(FENCE, tenant_id, owner, ttl_s) is not None


async def others_waiting(pool: asyncpg.Pool, tenant_id: str) -> bool:
    """Whether another tenant is due and no instance works on it (all are busy)."""
    return await pool.fetchval(OTHERS_WAITING, tenant_id)


async def release(pool: asyncpg.Pool, tenant_id: str, owner: str, next_in_s: float, failures: int) -> None:
    await pool.execute(RELEASE, tenant_id, owner, next_in_s, failures)
