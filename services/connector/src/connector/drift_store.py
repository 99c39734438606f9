"""SQL for drift repair: what was published of each open invoice, and each tenant's sweep."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

REMEMBER_OPEN = """
INSERT INTO published_open_invoice (tenant_id, invoice_id, amount_remaining, modified)
SELECT $1, unnest($2::bigint[]), unnest($3::numeric[]), unnest($4::text[])
ON CONFLICT (tenant_id, invoice_id) DO UPDATE SET amount_remaining = EXCLUDED.amount_remaining,
    modified = EXCLUDED.modified
"""
FORGET_CLOSED = "DELETE FROM published_open_invoice WHERE tenant_id = $1 AND invoice_id = ANY($2::bigint[])"
PUBLISHED_BETWEEN = """
SELECT invoice_id, amount_remaining, modified FROM published_open_invoice
WHERE tenant_id = $1 AND invoice_id > $2 AND ($3::bigint IS NULL OR invoice_id <= $3)
"""
GET_SWEEP = """
SELECT baseline, last_id, running, started_at, finished_at, checked, repaired, last_checked, last_repaired,
       repaired_total FROM drift_sweep WHERE tenant_id = $1
"""
START_SWEEP = """
INSERT INTO drift_sweep (tenant_id, last_id, running, started_at, checked, repaired) VALUES ($1, 0, true, $2, 0, 0)
ON CONFLICT (tenant_id) DO UPDATE SET last_id = 0, running = true, started_at = $2, checked = 0, repaired = 0
"""
ADVANCE_SWEEP = """
UPDATE drift_sweep SET last_id = $2, checked = checked + $3, repaired = repaired + $4,
    repaired_total = repaired_total + $4 WHERE tenant_id = $1
"""
FINISH_SWEEP = """
UPDATE drift_sweep SET running = false, baseline = false, finished_at = $2, last_checked = checked,
    last_repaired = repaired WHERE tenant_id = $1
"""
SETTLE = """
INSERT INTO drift_sweep (tenant_id, finished_at, last_checked, last_repaired) VALUES ($1, $2, 0, 0)
ON CONFLICT (tenant_id) DO NOTHING
"""
FORGET = ("DELETE FROM published_open_invoice WHERE tenant_id = $1", "DELETE FROM drift_sweep WHERE tenant_id = $1")


@dataclass(frozen=True)
class Sweep:
    baseline: bool
    last_id: int
    running: bool
    started_at: dt.datetime | None
    finished_at: dt.datetime | None
    checked: int
    repaired: int
    last_checked: int | None
    last_repaired: int | None
    repaired_total: int


async def remember(connection, tenant_id: str, open_: list[tuple[str, Decimal, str]], closed: list[str]) -> None:
    """What was just published: open invoices with their balance and version; the rest forgotten."""
    if open_:
        ids, remaining, modified = (list(column) for column in zip(*open_))
        await connection.execute(REMEMBER_OPEN, tenant_id, [int(i) for i in ids], remaining, modified)
    if closed:
        await connection.execute(FORGET_CLOSED, tenant_id, [int(i) for i in closed])


async def published(connection, tenant_id: str, after: int, upto: int | None) -> dict[str, tuple[Decimal, str]]:
    rows = await connection.fetch(PUBLISHED_BETWEEN, tenant_id, after, upto)
    return {str(row["invoice_id"]): (row["amount_remaining"], row["modified"]) for row in rows}


async def sweep(connection, tenant_id: str) -> Sweep | None:
    row = await connection.fetchrow(GET_SWEEP, tenant_id)
    return None if row is None else Sweep(**dict(row))


async def settle(connection, tenant_id: str, at: dt.datetime) -> None:
    await connection.execute(SETTLE, tenant_id, at)


async def start(connection, tenant_id: str, at: dt.datetime) -> None:
    await connection.execute(START_SWEEP, tenant_id, at)


async def advance(connection, tenant_id: str, last_id: int, checked: int, repaired: int) -> None:
    await connection.execute(ADVANCE_SWEEP, tenant_id, last_id, checked, repaired)


async def finish(connection, tenant_id: str, at: dt.datetime) -> None:
    await connection.execute(FINISH_SWEEP, tenant_id, at)


def view(sweep: Sweep | None) -> dict | None:
    """The partner's view of the sweep (status API)."""
    if sweep is None:
        return None
    return {"running": sweep.running, "checked": sweep.checked if sweep.running else sweep.last_checked,
            "repaired": sweep.repaired if sweep.running else sweep.last_repaired,
            "repaired_total": sweep.repaired_total,
            "last_finished_at": sweep.finished_at.isoformat() if sweep.finished_at else None}


async def forget(connection, tenant_id: str) -> None:
    for statement in FORGET:
        await connection.execute(statement, tenant_id)
