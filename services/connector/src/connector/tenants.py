"""Tenant status changes, each announced as ConnectionChanged on netsuite.setup.v1 (same transaction)."""
from __future__ import annotations

from contracts.envelope import envelope_fields, utc_now
from contracts.setup import ConnectionChanged, ConnectionChangedData
from sb_runtime import outbox

from connector import store

RECONNECT = "NetSuite access expired or was revoked: reconnect NetSuite to resume syncing."


async def change_status(connection, tenant_id: str, status: str, message: str | None = None) -> None:
    await store.set_status(connection, tenant_id, status, message)
    tenant = await store.get_tenant(connection, tenant_id)
    now = utc_now()
    data = ConnectionChangedData(status=status, netsuite_account_id=tenant.account_id, timezone=tenant.timezone,
                                 message=message, changed_at=now)
    fields = envelope_fields("ConnectionChanged", tenant_id, status, tenant.account_id, now.isoformat())
    await outbox.add(connection, [outbox.from_event(ConnectionChanged(**fields, data=data))])
