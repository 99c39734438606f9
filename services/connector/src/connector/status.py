"""The connection status the partner sees (http-api.md): state, initial-sync progress and ETA, setup, items."""
from __future__ import annotations

import datetime as dt

from connector import drift_store, expiry, store, sync_store, tenants, token_store
from connector.deps import Deps

PROGRESS_KEYS = ("invoices", "customers", "payments", "credits", "deposits")


def eta_seconds(state: sync_store.InitialSync, now: dt.datetime) -> int | None:
    if state.phase == "done":
        return 0
    done, total = sum(state.synced.values()), sum(state.totals.values())
    elapsed = (now - state.started_at).total_seconds()
    if done <= 0 or elapsed <= 0:
        return None
    return max(0, round((total - done) / (done / elapsed)))


def initial_sync_view(state: sync_store.InitialSync | None, now: dt.datetime) -> dict | None:
    if state is None:
        return None
    view: dict = {"phase": state.phase}
    for key in PROGRESS_KEYS:
        view[f"{key}_synced"] = int(state.synced.get(key, 0))
        view[f"{key}_total"] = int(state.totals.get(key, 0))
    view.update({"records_synced": sum(state.synced.values()), "records_total": sum(state.totals.values()),
                 "started_at": state.started_at.isoformat(),
                 "finished_at": state.finished_at.isoformat() if state.finished_at else None,
                 "eta_seconds": eta_seconds(state, now)})
    return view


def item_view(row: dict) -> dict:
    view = {key: value for key, value in row.items() if value is not None and key != "raised_at"}
    view["raised_at"] = row["raised_at"].isoformat()
    return view


async def connection_status(deps: Deps, tenant_id: str) -> dict:
    async with deps.pool.acquire() as connection:
        tenant = await store.get_tenant(connection, tenant_id)
        state = await sync_store.initial_sync(connection, tenant_id)
        setup = await store.get_setup(connection, tenant_id)
        items = await store.open_items(connection, tenant_id)
        pending_pdfs = await sync_store.pdfs_pending(connection, tenant_id)
        kind = await token_store.credentials_kind(connection, tenant_id)
        sweep = await drift_store.sweep(connection, tenant_id)
    if tenant is None:
        return {"tenant_id": tenant_id, "status": "not_connected", "account_id": None, "initial_sync": None,
                "accounts": {"undeposited_funds": None, "deposit_bank": None}, "last_sync_at": None,
                "action_items": [], "last_error": None, "credentials": None}
    accounts = {"undeposited_funds": None, "deposit_bank": None, "fee_expense": None, "platform_income": None}
    if setup:
        accounts = {key: setup[key] for key in accounts}
    return {
        "tenant_id": tenant_id, "status": tenant.status, "account_id": tenant.account_id,
        "timezone": tenant.timezone,
        "initial_sync": initial_sync_view(state, dt.datetime.now(dt.UTC)),
        "accounts": accounts,
        "last_sync_at": tenant.last_sync_at.isoformat() if tenant.last_sync_at else None,
        "pdfs_pending": pending_pdfs,
        "action_items": [item_view(row) for row in items],
        "last_error": last_error(tenant, kind, deps.clock.now()),
        "credentials": credentials_view(kind),
        "drift": drift_store.view(sweep),
    }


def credentials_view(kind: token_store.CredentialsKind | None) -> dict | None:
    if kind is None:
        return None
    expires_at = kind.refresh_expires_at if kind.kind == "oauth2" else None
    return {"kind": kind.kind, "refresh_expires_at": iso_utc(expires_at) if expires_at else None}


def iso_utc(at: dt.datetime) -> str:
    return at.astimezone(dt.UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def last_error(tenant: store.Tenant, kind: token_store.CredentialsKind | None, now: dt.datetime) -> str | None:
    """A stop because the OAuth 2.0 authorization ran out says so with its date, whoever noticed it first."""
    lapsed = (kind is not None and kind.kind == "oauth2" and kind.refresh_expires_at is not None
              and kind.refresh_expires_at <= now)
    if lapsed and tenants.needs_reconnect(tenant):
        return expiry.expired(tenant.account_id, kind.refresh_expires_at)
    return tenant.last_error
