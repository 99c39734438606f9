"""What a replay or a redrive changed: new inbox rows, new outbox rows, NetSuite writes.

Counts are taken before and after; whatever else ran in between (live traffic) counts too, so
measure in a quiet moment or read the numbers as upper bounds.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

import asyncpg
import httpx

SCHEMA = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")
# NetSuite-facing routes that change nothing in the account.
READ_ONLY = ("POST /query/v1/suiteql", "POST /auth/oauth2/v1/token", "POST /auth/oauth2/v1/revoke")
WRITE_METHODS = ("POST ", "PATCH ", "PUT ", "DELETE ")


@dataclass(frozen=True)
class Snapshot:
    inbox_rows: int
    outbox_max_id: int
    netsuite_writes: int | None  # None: no emulator to ask


@dataclass(frozen=True)
class Effects:
    inbox_rows: int
    outbox_rows: int
    netsuite_writes: int | None

    @property
    def none(self) -> bool:
        return not self.inbox_rows and not self.outbox_rows and not self.netsuite_writes


async def snapshot(database_url: str, schema: str, emulator_url: str | None = None,
                   accounts: tuple[str, ...] = ()) -> Snapshot:
    if not SCHEMA.match(schema):
        raise ValueError(f"invalid schema name {schema!r}")
    connection = await asyncpg.connect(database_url)
    try:
        inbox = await connection.fetchval(f'SELECT count(*) FROM "{schema}".inbox')
        outbox = await connection.fetchval(f'SELECT coalesce(max(id), 0) FROM "{schema}".outbox')
    finally:
        await connection.close()
    writes = await netsuite_writes(emulator_url, accounts) if emulator_url and accounts else None
    return Snapshot(inbox, outbox, writes)


async def new_outbox_rows(database_url: str, schema: str, after_id: int) -> int:
    connection = await asyncpg.connect(database_url)
    try:
        return await connection.fetchval(f'SELECT count(*) FROM "{schema}".outbox WHERE id > $1', after_id)
    finally:
        await connection.close()


async def measure(database_url: str, schema: str, before: Snapshot, emulator_url: str | None = None,
                  accounts: tuple[str, ...] = ()) -> Effects:
    after = await snapshot(database_url, schema, emulator_url, accounts)
    outbox = await new_outbox_rows(database_url, schema, before.outbox_max_id)
    writes = None
    if before.netsuite_writes is not None and after.netsuite_writes is not None:
        writes = after.netsuite_writes - before.netsuite_writes
    return Effects(after.inbox_rows - before.inbox_rows, outbox, writes)


async def netsuite_writes(emulator_url: str, accounts: tuple[str, ...]) -> int:
    """Write requests the NetSuite emulator has served for these accounts (its /stats)."""
    total = 0
    async with httpx.AsyncClient(base_url=emulator_url, timeout=30) as http:
        for account in accounts:
            response = await http.get(f"/_emulator/accounts/{account}/stats")
            response.raise_for_status()
            total += sum(n for route, n in response.json()["requests"].items()
                         if route.startswith(WRITE_METHODS) and route not in READ_ONLY)
    return total
