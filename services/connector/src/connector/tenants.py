"""Tenant status changes, each announced as ConnectionChanged on netsuite.setup.v1 (same transaction)."""
from __future__ import annotations

from contracts.envelope import envelope_fields, utc_now
from contracts.setup import ConnectionChanged, ConnectionChangedData
from sb_runtime import outbox

from connector import identity, store

RECONNECT = "NetSuite access expired or was revoked: reconnect NetSuite to resume syncing."
EXPIRED = "The NetSuite authorization for account {account_id} expired on {when}. Reconnect from the dashboard."
EXPIRED_PREFIX = EXPIRED.split("{", 1)[0]


def needs_reconnect(tenant: store.Tenant | None) -> bool:
    """The tenant stopped because its NetSuite authorization ended (revoked, refused or expired)."""
    last_error = (tenant.last_error or "") if tenant else ""
    return tenant is not None and tenant.status == "error" and (
        last_error == RECONNECT or last_error.startswith(EXPIRED_PREFIX))


async def change_status(connection, tenant_id: str, status: str, message: str | None = None) -> None:
    await store.set_status(connection, tenant_id, status, message)
    tenant = await store.get_tenant(connection, tenant_id)
    now = utc_now()
    data = ConnectionChangedData(status=status, netsuite_account_id=tenant.account_id, timezone=tenant.timezone,
                                 message=message, changed_at=now, id_scope=identity.id_scope(tenant))
    fields = envelope_fields("ConnectionChanged", tenant_id, status, tenant.account_id, now.isoformat())
    await outbox.add(connection, [outbox.from_event(ConnectionChanged(**fields, data=data))])
