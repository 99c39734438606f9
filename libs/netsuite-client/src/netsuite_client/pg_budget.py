"""Concurrency budget shared by every suitebridge process, backed by PostgreSQL leases.

Each tenant has ``limit`` rows in ``budget_lease``. Taking a slot updates one free row
(``holder IS NULL`` or lease expired) chosen with ``FOR UPDATE SKIP LOCKED``; releasing clears
it and ``pg_notify``s waiters, who otherwise re-poll every ``poll_interval_s``. Leases expire
after ``lease_ttl_s`` (longer than any request) so a crashed process frees its slots. Timing
uses the database clock only. A per-process ``LocalBudget`` in front keeps waiters local and
carries the adaptive (AIMD) limit. Keep ``lease_ttl_s`` above the client's request timeout; a
task cancelled in the middle of taking a lease leaves it to expire.
"""

from __future__ import annotations

import asyncio
import re
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from importlib import resources

import asyncpg

from .budget import LocalBudget

_IDENTIFIER = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")
DEFAULT_SCHEMA = "netsuite_client"

ENSURE_SLOTS = """
INSERT INTO {schema}.budget_lease (tenant_key, slot)
SELECT $1, s FROM generate_series(0, $2 - 1) AS s
ON CONFLICT DO NOTHING
"""
ACQUIRE = """
UPDATE {schema}.budget_lease AS l
SET holder = $3, expires_at = now() + make_interval(secs => $4)
WHERE (l.tenant_key, l.slot) = (
    SELECT tenant_key, slot FROM {schema}.budget_lease
    WHERE tenant_key = $1 AND slot < $2 AND (holder IS NULL OR expires_at < now())
    ORDER BY slot LIMIT 1 OFFSET {offset}
    FOR UPDATE SKIP LOCKED)
RETURNING l.slot
"""
# A yielding holder skips as many free slots as priority requests wait for.
WAITING = "(SELECT count(*) FROM {schema}.budget_demand WHERE tenant_key = $1 AND expires_at > now())"
DEMAND = """
INSERT INTO {schema}.budget_demand (tenant_key, holder, expires_at) VALUES ($1, $2, now() + make_interval(secs => $3))
ON CONFLICT (tenant_key, holder) DO UPDATE SET expires_at = EXCLUDED.expires_at
"""
DEMAND_MET = "DELETE FROM {schema}.budget_demand WHERE tenant_key = $1 AND holder = $2"
RELEASE = """
WITH released AS (
    UPDATE {schema}.budget_lease SET holder = NULL, expires_at = NULL
    WHERE tenant_key = $1 AND slot = $2 AND holder = $3
    RETURNING tenant_key)
SELECT pg_notify($4, tenant_key) FROM released
"""


def _checked(schema: str) -> str:
    if not _IDENTIFIER.match(schema):
        raise ValueError(f"invalid schema name {schema!r}")
    return schema


async def install_schema(pool: asyncpg.Pool, schema: str = DEFAULT_SCHEMA) -> None:
    """Create the schema and apply the bundled migrations (idempotent, serialised)."""
    schema = _checked(schema)
    files = sorted(
        f for f in resources.files("netsuite_client.migrations").iterdir() if f.name.endswith(".sql")
    )
    async with pool.acquire() as conn, conn.transaction():
        await conn.execute("SELECT pg_advisory_xact_lock(hashtext($1))", f"budget:{schema}")
        await conn.execute(f"CREATE SCHEMA IF NOT EXISTS {schema}")
        await conn.execute(f"SET LOCAL search_path TO {schema}")
        for migration in files:
            await conn.execute(migration.read_text())


class PostgresBudgetStore:
    """One per process: the pool, the LISTEN connection and the lease SQL for all tenants."""

    def __init__(
        self,
        pool: asyncpg.Pool,
        *,
        schema: str = DEFAULT_SCHEMA,
        lease_ttl_s: float = 120.0,
        poll_interval_s: float = 0.25,
    ) -> None:
        self._pool = pool
        self._schema = _checked(schema)
        self._channel = f"{self._schema}_budget_released"
        self._lease_ttl_s = lease_ttl_s
        self._poll_interval_s = poll_interval_s
        self._wakeups: dict[str, asyncio.Event] = {}
        self._known_slots: set[tuple[str, int]] = set()
        self._listener: asyncpg.Connection | None = None

    async def start(self) -> None:
        """Start listening for releases (without it waiters just poll)."""
        self._listener = await self._pool.acquire()
        await self._listener.add_listener(self._channel, self._on_release)

    async def close(self) -> None:
        if self._listener is not None:
            await self._listener.remove_listener(self._channel, self._on_release)
            await self._pool.release(self._listener)
            self._listener = None

    def for_tenant(self, tenant_key: str, limit: int, *, yields: bool = False) -> PostgresBudget:
        """The shared budget of one tenant, allowing ``limit`` slots across all processes.

        A budget that ``yields`` (bulk work such as an initial sync) may use every free slot but
        takes none while other holders' requests wait: they get the next slot released, within
        one request's time. Other budgets announce their waiting requests."""
        return PostgresBudget(self, tenant_key, limit, yields=yields)

    async def acquire(self, tenant_key: str, limit: int, yields: bool = False) -> tuple[int, str]:
        await self._ensure_slots(tenant_key, limit)
        holder = uuid.uuid4().hex
        wakeup = self._wakeups.setdefault(tenant_key, asyncio.Event())
        offset = WAITING if yields else "0"
        sql = ACQUIRE.format(schema=self._schema, offset=offset.format(schema=self._schema))
        waiting = False
        try:
            while True:
                wakeup.clear()
                slot = await self._pool.fetchval(sql, tenant_key, limit, holder, self._lease_ttl_s)
                if slot is not None:
                    return slot, holder
                if not yields:
                    waiting = True
                    await self._pool.execute(DEMAND.format(schema=self._schema), tenant_key, holder,
                                             self._poll_interval_s * 4)
                try:
                    await asyncio.wait_for(wakeup.wait(), self._poll_interval_s)
                except TimeoutError:
                    pass
        finally:
            if waiting:
                await asyncio.shield(self._pool.execute(DEMAND_MET.format(schema=self._schema), tenant_key, holder))

    async def release(self, tenant_key: str, slot: int, holder: str) -> None:
        sql = RELEASE.format(schema=self._schema)
        await self._pool.execute(sql, tenant_key, slot, holder, self._channel)

    async def _ensure_slots(self, tenant_key: str, limit: int) -> None:
        if (tenant_key, limit) not in self._known_slots:
            await self._pool.execute(ENSURE_SLOTS.format(schema=self._schema), tenant_key, limit)
            self._known_slots.add((tenant_key, limit))

    def _on_release(self, _conn: object, _pid: int, _channel: str, tenant_key: str) -> None:
        wakeup = self._wakeups.get(tenant_key)
        if wakeup is not None:
            wakeup.set()


class PostgresBudget:
    """A tenant's budget: a local AIMD-limited slot, then a cross-process lease."""

    def __init__(self, store: PostgresBudgetStore, tenant_key: str, limit: int, *, yields: bool = False) -> None:
        self._store = store
        self._tenant_key = tenant_key
        self._limit = limit
        self._yields = yields
        self.local = LocalBudget(limit)

    @asynccontextmanager
    async def slot(self) -> AsyncIterator[None]:
        async with self.local.slot():
            slot, holder = await self._store.acquire(self._tenant_key, self._limit, self._yields)
            try:
                yield
            finally:
                # Shielded so a cancelled request still frees its lease promptly.
                await asyncio.shield(self._store.release(self._tenant_key, slot, holder))

    def on_throttled(self) -> None:
        self.local.on_throttled()

    def on_success(self) -> None:
        self.local.on_success()
