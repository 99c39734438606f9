"""SQL for tenants, connect flows, tokens, account setup and action items. Returns models, not Records."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import asyncpg

UPSERT_TENANT = """
INSERT INTO tenant (tenant_id) VALUES ($1) ON CONFLICT (tenant_id) DO NOTHING
"""
GET_TENANT = "SELECT tenant_id, status, account_id, timezone, last_error, last_sync_at FROM tenant WHERE tenant_id = $1"
SET_STATUS = """
UPDATE tenant SET status = $2, last_error = $3, updated_at = now() WHERE tenant_id = $1
"""
SET_ACCOUNT = """
UPDATE tenant SET account_id = $2, timezone = $3, updated_at = now() WHERE tenant_id = $1
"""
TOUCH_SYNC = "UPDATE tenant SET last_sync_at = now() WHERE tenant_id = $1"
NEW_FLOW = """
INSERT INTO oauth_flow (state, tenant_id, code_verifier, account_hint, expires_at)
VALUES ($1, $2, $3, $4, now() + make_interval(secs => $5))
"""
# Single use: the first callback marks the state used; a second one (or a late one) finds nothing.
CLAIM_FLOW = """
UPDATE oauth_flow SET used_at = now()
WHERE state = $1 AND used_at IS NULL AND expires_at > now()
RETURNING tenant_id, code_verifier, account_hint
"""
PRUNE_FLOWS = "DELETE FROM oauth_flow WHERE expires_at < now() - interval '1 day'"
SAVE_TOKENS = """
INSERT INTO connection_token (tenant_id, account_id, access_token, refresh_token, access_expires_at, role, entity)
VALUES ($1, $2, $3, $4, to_timestamp($5), $6, $7)
ON CONFLICT (tenant_id) DO UPDATE SET account_id = EXCLUDED.account_id, access_token = EXCLUDED.access_token,
    refresh_token = EXCLUDED.refresh_token, access_expires_at = EXCLUDED.access_expires_at,
    role = EXCLUDED.role, entity = EXCLUDED.entity, connected_at = now(), refreshed_at = NULL
"""
GET_TOKENS = """
SELECT tenant_id, account_id, access_token, refresh_token, extract(epoch FROM access_expires_at) AS expires_at
FROM connection_token WHERE tenant_id = $1
"""
LOCK_TOKENS = GET_TOKENS + " FOR UPDATE"
SAVE_ACCESS_TOKEN = """
UPDATE connection_token SET access_token = $2, access_expires_at = to_timestamp($3), refreshed_at = now()
WHERE tenant_id = $1
"""
ALL_TOKENS = "SELECT tenant_id, access_token, refresh_token FROM connection_token"
ROTATE_TOKENS = "UPDATE connection_token SET access_token = $2, refresh_token = $3 WHERE tenant_id = $1"
SAVE_SETUP = """
INSERT INTO account_setup (tenant_id, account_id, undeposited_funds, deposit_bank, fee_expense, platform_income)
VALUES ($1, $2, $3, $4, $5, $6)
ON CONFLICT (tenant_id) DO UPDATE SET account_id = EXCLUDED.account_id,
    undeposited_funds = EXCLUDED.undeposited_funds, deposit_bank = EXCLUDED.deposit_bank,
    fee_expense = EXCLUDED.fee_expense, platform_income = EXCLUDED.platform_income, saved_at = now()
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


@dataclass(frozen=True)
class StoredTokens:
    tenant_id: str
    account_id: str
    access_token: bytes
    refresh_token: bytes | None
    expires_at: float


@dataclass(frozen=True)
class Flow:
    tenant_id: str
    code_verifier: bytes
    account_hint: str | None


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


async def get_tenant(connection, tenant_id: str) -> Tenant | None:
    row = await connection.fetchrow(GET_TENANT, tenant_id)
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


async def new_flow(connection, state: str, tenant_id: str, verifier: bytes, hint: str | None, ttl_s: int) -> None:
    await connection.execute(PRUNE_FLOWS)
    await connection.execute(NEW_FLOW, state, tenant_id, verifier, hint, ttl_s)


async def claim_flow(connection, state: str) -> Flow | None:
    row = await connection.fetchrow(CLAIM_FLOW, state)
    return Flow(row["tenant_id"], bytes(row["code_verifier"]), row["account_hint"]) if row else None


async def save_tokens(connection, tenant_id: str, account_id: str, access: bytes, refresh: bytes | None,
                      expires_at: float, role: str | None, entity: str | None) -> None:
    await connection.execute(SAVE_TOKENS, tenant_id, account_id, access, refresh, expires_at, role, entity)


async def get_tokens(connection, tenant_id: str, lock: bool = False) -> StoredTokens | None:
    row = await connection.fetchrow(LOCK_TOKENS if lock else GET_TOKENS, tenant_id)
    if row is None:
        return None
    refresh = bytes(row["refresh_token"]) if row["refresh_token"] is not None else None
    return StoredTokens(row["tenant_id"], row["account_id"], bytes(row["access_token"]), refresh,
                        float(row["expires_at"]))


async def save_access_token(connection, tenant_id: str, access: bytes, expires_at: float) -> None:
    await connection.execute(SAVE_ACCESS_TOKEN, tenant_id, access, expires_at)


async def rotate_tokens(pool: asyncpg.Pool, rotate) -> tuple[int, list[str]]:
    """Re-encrypt every stored token with the current first key.

    Returns (rotated, tenants whose tokens no configured key opens). Those are left as they are
    — the service still starts, and the tenant's next NetSuite call asks for a reconnect —
    rather than one unreadable row keeping every tenant offline.
    """
    from cryptography.fernet import InvalidToken

    rotated, unreadable = 0, []
    async with pool.acquire() as connection, connection.transaction():
        rows = await connection.fetch(ALL_TOKENS + " FOR UPDATE")
        for row in rows:
            try:
                refresh = rotate(bytes(row["refresh_token"])) if row["refresh_token"] is not None else None
                access = rotate(bytes(row["access_token"]))
            except InvalidToken:
                unreadable.append(row["tenant_id"])
                continue
            await connection.execute(ROTATE_TOKENS, row["tenant_id"], access, refresh)
            rotated += 1
    return rotated, unreadable


async def save_setup(connection, tenant_id: str, account_id: str, choice: dict) -> dt.datetime:
    return await connection.fetchval(SAVE_SETUP, tenant_id, account_id, choice["undeposited_funds"],
                                     choice["deposit_bank"], choice.get("fee_expense"), choice.get("platform_income"))


async def get_setup(connection, tenant_id: str) -> dict | None:
    row = await connection.fetchrow(GET_SETUP, tenant_id)
    return dict(row) if row else None


async def upsert_item(connection, tenant_id: str, item: ActionItem, resolved: bool) -> None:
    await connection.execute(UPSERT_ITEM, tenant_id, item.item_id, item.kind, item.message, item.invoice_id,
                             item.payment_id, item.payout_id, item.netsuite_id, item.source, item.at, resolved)


async def open_items(connection, tenant_id: str, limit: int = 200) -> list[dict]:
    return [dict(row) for row in await connection.fetch(OPEN_ITEMS, tenant_id, limit)]


async def open_sync_errors(connection, tenant_id: str, item_ids: list[str]) -> set[str]:
    return {row["item_id"] for row in await connection.fetch(OPEN_SYNC_ERRORS, tenant_id, item_ids)}
