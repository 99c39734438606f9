"""SQL for tenants, connect flows, account setup and action items (tokens: token_store). Returns models."""
from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass

UPSERT_TENANT = """
INSERT INTO tenant (tenant_id) VALUES ($1) ON CONFLICT (tenant_id) DO NOTHING
"""
GET_TENANT = ("SELECT tenant_id, status, account_id, timezone, last_error, last_sync_at, first_account_id "
              "FROM tenant WHERE tenant_id = $1")
LOCK_TENANT = GET_TENANT + " FOR UPDATE"
SET_STATUS = """
UPDATE tenant SET status = $2, last_error = $3, updated_at = now() WHERE tenant_id = $1
"""
SET_ACCOUNT = """
UPDATE tenant SET account_id = $2, timezone = $3, updated_at = now() WHERE tenant_id = $1
"""
TOUCH_SYNC = "UPDATE tenant SET last_sync_at = now() WHERE tenant_id = $1"
NEW_FLOW = """
INSERT INTO oauth_flow (state, tenant_id, code_verifier, account_hint, expires_at, confirm_switch)
VALUES ($1, $2, $3, $4, now() + make_interval(secs => $5), $6)
"""
# Single use: the first callback marks the state used; a second one (or a late one) finds nothing.
CLAIM_FLOW = """
UPDATE oauth_flow SET used_at = now()
WHERE state = $1 AND used_at IS NULL AND expires_at > now()
RETURNING tenant_id, code_verifier, account_hint, confirm_switch
"""
PRUNE_FLOWS = "DELETE FROM oauth_flow WHERE expires_at < now() - interval '1 day'"
SAVE_SETUP = """
INSERT INTO account_setup (tenant_id, account_id, undeposited_funds, deposit_bank, fee_expense, platform_income,
                           currencies)
VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb)
ON CONFLICT (tenant_id) DO UPDATE SET account_id = EXCLUDED.account_id,
    undeposited_funds = EXCLUDED.undeposited_funds, deposit_bank = EXCLUDED.deposit_bank,
    fee_expense = EXCLUDED.fee_expense, platform_income = EXCLUDED.platform_income,
    currencies = EXCLUDED.currencies, saved_at = now()
RETURNING saved_at
"""
GET_SETUP = """
SELECT undeposited_funds, deposit_bank, fee_expense, platform_income, saved_at FROM account_setup WHERE tenant_id = $1
"""
UPSERT_ITEM = """
INSERT INTO action_item (tenant_id, item_id, kind, message, invoice_id, payment_id, payout_id, netsuite_id,
                         source, raised_at, changed_at, resolved_at)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10::timestamptz, $10::timestamptz,
        CASE WHEN $11::boolean THEN $10::timestamptz END)
ON CONFLICT (tenant_id, item_id) DO UPDATE SET kind = EXCLUDED.kind, message = EXCLUDED.message,
    invoice_id = EXCLUDED.invoice_id, payment_id = EXCLUDED.payment_id, payout_id = EXCLUDED.payout_id,
    netsuite_id = EXCLUDED.netsuite_id, source = EXCLUDED.source, changed_at = EXCLUDED.changed_at,
    resolved_at = EXCLUDED.resolved_at,
    raised_at = CASE WHEN action_item.resolved_at IS NULL THEN action_item.raised_at ELSE EXCLUDED.raised_at END
WHERE action_item.changed_at <= EXCLUDED.changed_at
"""
OPEN_ITEMS = """
SELECT item_id, kind, message, invoice_id, payment_id, payout_id, netsuite_id, source, raised_at
FROM action_item WHERE tenant_id = $1 AND resolved_at IS NULL ORDER BY raised_at, item_id LIMIT $2
"""
OPEN_ITEM_MESSAGE = """
SELECT message FROM action_item WHERE tenant_id = $1 AND item_id = $2 AND resolved_at IS NULL
"""
OPEN_SYNC_ERRORS = """
SELECT item_id FROM action_item
WHERE tenant_id = $1 AND kind = 'sync_error' AND resolved_at IS NULL AND item_id = ANY($2::text[])
"""


@dataclass(frozen=True)
class Tenant:
    tenant_id: str
    status: str
    account_id: str | None
    timezone: str | None
    last_error: str | None
    last_sync_at: dt.datetime | None
    first_account_id: str | None = None  # whose records keep the original platform ids


@dataclass(frozen=True)
class Flow:
    tenant_id: str
    code_verifier: bytes
    account_hint: str | None
    confirm_switch: bool = False  # the partner confirmed switching the tenant to another account


@dataclass(frozen=True)
class ActionItem:
    item_id: str
    kind: str
    message: str
    source: str
    at: dt.datetime
    invoice_id: str | None = None
    payment_id: str | None = None
    payout_id: str | None = None
    netsuite_id: str | None = None


async def ensure_tenant(connection, tenant_id: str) -> None:
    await connection.execute(UPSERT_TENANT, tenant_id)


async def get_tenant(connection, tenant_id: str, lock: bool = False) -> Tenant | None:
    row = await connection.fetchrow(LOCK_TENANT if lock else GET_TENANT, tenant_id)
    return Tenant(**dict(row)) if row else None


async def all_tenants(connection) -> list[Tenant]:
    rows = await connection.fetch(GET_TENANT.replace("WHERE tenant_id = $1", "ORDER BY tenant_id"))
    return [Tenant(**dict(row)) for row in rows]


async def set_status(connection, tenant_id: str, status: str, last_error: str | None = None) -> None:
    await connection.execute(SET_STATUS, tenant_id, status, last_error)


async def set_account(connection, tenant_id: str, account_id: str, timezone: str | None) -> None:
    await connection.execute(SET_ACCOUNT, tenant_id, account_id, timezone)


async def touch_sync(connection, tenant_id: str) -> None:
    await connection.execute(TOUCH_SYNC, tenant_id)


async def new_flow(connection, state: str, tenant_id: str, verifier: bytes, hint: str | None, ttl_s: int,
                   confirm_switch: bool = False) -> None:
    await connection.execute(PRUNE_FLOWS)
    await connection.execute(NEW_FLOW, state, tenant_id, verifier, hint, ttl_s, confirm_switch)


async def claim_flow(connection, state: str) -> Flow | None:
    row = await connection.fetchrow(CLAIM_FLOW, state)
    return Flow(row["tenant_id"], bytes(row["code_verifier"]), row["account_hint"], row["confirm_switch"]) if row else None


async def save_setup(connection, tenant_id: str, account_id: str, choice: dict,
                     currencies: dict[str, str] | None = None) -> dt.datetime:
    return await connection.fetchval(SAVE_SETUP, tenant_id, account_id, choice["undeposited_funds"],
                                     choice["deposit_bank"], choice.get("fee_expense"), choice.get("platform_income"),
                                     json.dumps(currencies or {}))


async def get_setup(connection, tenant_id: str) -> dict | None:
    row = await connection.fetchrow(GET_SETUP, tenant_id)
    return dict(row) if row else None


async def upsert_item(connection, tenant_id: str, item: ActionItem, resolved: bool) -> None:
    await connection.execute(UPSERT_ITEM, tenant_id, item.item_id, item.kind, item.message, item.invoice_id,
                             item.payment_id, item.payout_id, item.netsuite_id, item.source, item.at, resolved)


async def open_items(connection, tenant_id: str, limit: int = 200) -> list[dict]:
    return [dict(row) for row in await connection.fetch(OPEN_ITEMS, tenant_id, limit)]


async def open_item_message(connection, tenant_id: str, item_id: str) -> str | None:
    return await connection.fetchval(OPEN_ITEM_MESSAGE, tenant_id, item_id)


async def open_sync_errors(connection, tenant_id: str, item_ids: list[str]) -> set[str]:
    return {row["item_id"] for row in await connection.fetch(OPEN_SYNC_ERRORS, tenant_id, item_ids)}
