"""Account identity: which NetSuite account a tenant is connected to, and switching it.

A tenant's records are only ever one account's. Reconnecting to the same account keeps everything;
to a different one is refused unless the partner confirms the switch, which starts the tenant's
sync afresh (checkpoints, cursors, initial sync, PDFs) in the same transaction as the new
credentials, and gives the new account its own id scope so its records can never take the ids
of the old one's (docs/decisions/connector-account-identity.md).
"""
from __future__ import annotations

from contracts.ids import account_scope

from connector import store, sync_store
from connector.errors import ConnectorError

INSERT_SWITCH = "INSERT INTO account_switch (tenant_id, from_account_id, to_account_id) VALUES ($1, $2, $3)"
SET_FIRST_ACCOUNT = "UPDATE tenant SET first_account_id = $2 WHERE tenant_id = $1 AND first_account_id IS NULL"


class AccountSwitchRefused(ConnectorError):
    """The tenant is connected to another NetSuite account and the switch was not confirmed."""

    def __init__(self, current: str, requested: str):
        super().__init__(
            f"This tenant is connected to NetSuite account {current}, not {requested}. Connecting {requested} "
            f"replaces {current}: syncing starts again from {requested} and its invoices appear as new ones. "
            "To do this, connect again and confirm the switch (confirm_switch).")
        self.current, self.requested = current, requested


def same_account(first: str | None, second: str | None) -> bool:
    return (first or "").upper() == (second or "").upper()


def check(tenant: store.Tenant | None, account_id: str, confirm_switch: bool) -> bool:
    """Whether connecting ``account_id`` switches the tenant's account; raises when it would without consent."""
    current = tenant.account_id if tenant else None
    if not current or same_account(current, account_id):
        return False
    if not confirm_switch:
        raise AccountSwitchRefused(current, account_id)
    return True


async def connect_account(connection, tenant_id: str, account_id: str, confirm_switch: bool) -> bool:
    """Inside the transaction storing new credentials: refuse, or record the (switched) account.

    The tenant row is locked, so two connects cannot both pass the check. Returns whether it switched.
    """
    await store.ensure_tenant(connection, tenant_id)
    tenant = await store.get_tenant(connection, tenant_id, lock=True)
    switching = check(tenant, account_id, confirm_switch)
    if switching:
        await sync_store.forget_sync_state(connection, tenant_id)
        await connection.execute(INSERT_SWITCH, tenant_id, tenant.account_id, account_id)
    await connection.execute(SET_FIRST_ACCOUNT, tenant_id, account_id)
    return switching


def id_scope(tenant: store.Tenant) -> str | None:
    """The account scope of the tenant's platform ids (None: the original, unqualified ids)."""
    return account_scope(tenant.first_account_id, tenant.account_id)
