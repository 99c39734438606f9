"""OAuth 2.0 refresh-token expiry: an action item before it, and a plain "reconnect" status after it.

NetSuite's refresh token lives 7 days from consent (docs/decisions/connector-connections-that-last.md).
``reconnect_warning_s`` before that, the partner gets the item "reconnect NetSuite before <date>";
when the date passes, the tenant stops with a message saying what happened and what to do. A
reconnect (OAuth 2.0 or TBA) resolves the item. Runs in every instance: each step is idempotent.
"""
from __future__ import annotations

import asyncio
import datetime as dt
import hashlib

from contracts.action_items import ActionItemData, ActionItemRaised, ActionItemResolved
from contracts.envelope import envelope_fields
from sb_runtime import outbox
from sb_runtime.logging import get_logger

from connector import leases, store, tenants, token_store
from connector.deps import Deps

ITEM_ID = "reconnect_netsuite"
log = get_logger(__name__)


def when(at: dt.datetime) -> str:
    return at.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")


def warning(account_id: str, expires_at: dt.datetime) -> str:
    return (f"Reconnect NetSuite before {when(expires_at)}: the authorization for account {account_id} "
            "expires then and syncing would stop. Reconnect from the dashboard (or connect with a TBA token, "
            "which does not expire).")


def expired(account_id: str, expires_at: dt.datetime) -> str:
    return tenants.EXPIRED.format(account_id=account_id, when=when(expires_at))


async def run(deps: Deps) -> None:
    """The background loop: check every ``credentials_check_interval_s``."""
    while True:
        try:
            await check(deps)
        except Exception as error:  # noqa: BLE001 - the next tick tries again; nothing is lost
            log.warning("credentials.check_failed", error=f"{type(error).__name__}: {error}")
        await asyncio.sleep(deps.settings.credentials_check_interval_s)


async def check(deps: Deps) -> int:
    """Warn or stop every OAuth 2.0 tenant whose refresh token ends within the warning window."""
    now = deps.clock.now()
    horizon = now + dt.timedelta(seconds=deps.settings.reconnect_warning_s)
    async with deps.pool.acquire() as connection:
        due = await token_store.expiring(connection, horizon)
    for found in due:
        async with deps.pool.acquire() as connection, connection.transaction():
            await _apply(connection, found, now)
    return len(due)


async def _apply(connection, found: token_store.Expiring, now: dt.datetime) -> None:
    lapsed = found.refresh_expires_at <= now
    message = (expired if lapsed else warning)(found.account_id, found.refresh_expires_at)
    await raise_item(connection, found.tenant_id, message, now)
    if not lapsed:
        return
    tenant = await store.get_tenant(connection, found.tenant_id, lock=True)
    if tenant is not None and tenant.status in ("pending", "connected"):
        await tenants.change_status(connection, found.tenant_id, "error", message)
        await leases.unschedule(connection, found.tenant_id)
        log.warning("credentials.expired", tenant_id=found.tenant_id, account_id=found.account_id)


async def raise_item(connection, tenant_id: str, message: str, now: dt.datetime) -> None:
    if await store.open_item_message(connection, tenant_id, ITEM_ID) == message:
        return  # already said
    item = store.ActionItem(ITEM_ID, "reconnect_netsuite", message, "connector", now)
    await store.upsert_item(connection, tenant_id, item, resolved=False)
    await outbox.add(connection, [outbox.from_event(_event(tenant_id, item, resolved=False))])


async def resolve(connection, tenant_id: str, now: dt.datetime) -> None:
    """The partner connected again: the reminder is done."""
    if await store.open_item_message(connection, tenant_id, ITEM_ID) is None:
        return
    item = store.ActionItem(ITEM_ID, "reconnect_netsuite", "NetSuite was connected again.", "connector", now)
    await store.upsert_item(connection, tenant_id, item, resolved=True)
    await outbox.add(connection, [outbox.from_event(_event(tenant_id, item, resolved=True))])


def _event(tenant_id: str, item: store.ActionItem, resolved: bool):
    data = ActionItemData(item_id=item.item_id, kind=item.kind, message=item.message, source=item.source, at=item.at)
    model = ActionItemResolved if resolved else ActionItemRaised
    said = "resolved" if resolved else hashlib.sha256(item.message.encode()).hexdigest()[:16]
    return model(**envelope_fields(model.model_fields["event_type"].default, tenant_id, item.item_id, said,
                                   item.at.isoformat()), data=data)
