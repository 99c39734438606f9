"""A tenant's connection state and account choices (R18), as the connector announces them.

Each write-back service keeps them in its own ``tenants`` table (same columns in both
migrations). Work that needs a choice the partner has not made yet waits; a setup saved for a
different NetSuite account than the one now connected counts as not made.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import asyncpg

from contracts.action_items import ActionItemData
from contracts.setup import AccountSetupSaved, ConnectionChanged
from sb_writeback.action_items import resolve_kind

SETUP_MISSING = "account_setup_missing"
CHOICES = ("undeposited_funds", "deposit_bank", "fee_expense", "platform_income")
CHOICE_LABELS = {
    "undeposited_funds": "the Undeposited Funds account for payments",
    "deposit_bank": "the bank account for deposits",
    "fee_expense": "the expense account for payout fees",
    "platform_income": "the income account for platform payments and surcharges",
}

SAVE_CONNECTION = """
INSERT INTO tenants (tenant_id, connection_status, netsuite_account_id, timezone, connection_changed_at, id_scope)
VALUES ($1, $2, $3, $4, $5, $6)
ON CONFLICT (tenant_id) DO UPDATE SET connection_status = EXCLUDED.connection_status,
    netsuite_account_id = COALESCE(EXCLUDED.netsuite_account_id, tenants.netsuite_account_id),
    id_scope = CASE WHEN EXCLUDED.netsuite_account_id IS NULL THEN tenants.id_scope ELSE EXCLUDED.id_scope END,
    timezone = COALESCE(EXCLUDED.timezone, tenants.timezone),
    connection_changed_at = EXCLUDED.connection_changed_at
WHERE tenants.connection_changed_at IS NULL OR tenants.connection_changed_at <= EXCLUDED.connection_changed_at
"""
SAVE_ACCOUNTS = """
INSERT INTO tenants (tenant_id, setup_account_id, undeposited_funds, deposit_bank, fee_expense, platform_income,
                     setup_saved_at, deposit_bank_currency)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
ON CONFLICT (tenant_id) DO UPDATE SET setup_account_id = EXCLUDED.setup_account_id,
    undeposited_funds = EXCLUDED.undeposited_funds, deposit_bank = EXCLUDED.deposit_bank,
    fee_expense = EXCLUDED.fee_expense, platform_income = EXCLUDED.platform_income,
    setup_saved_at = EXCLUDED.setup_saved_at, deposit_bank_currency = EXCLUDED.deposit_bank_currency
WHERE tenants.setup_saved_at IS NULL OR tenants.setup_saved_at <= EXCLUDED.setup_saved_at
"""
GET = """
SELECT tenant_id, connection_status, netsuite_account_id, timezone, setup_account_id,
       undeposited_funds, deposit_bank, fee_expense, platform_income, deposit_bank_currency, id_scope
FROM tenants WHERE tenant_id = $1
"""


@dataclass(frozen=True)
class TenantSetup:
    tenant_id: str
    connection_status: str | None = None
    netsuite_account_id: str | None = None
    timezone: str | None = None
    setup_account_id: str | None = None
    undeposited_funds: str | None = None
    deposit_bank: str | None = None
    fee_expense: str | None = None
    platform_income: str | None = None
    deposit_bank_currency: str | None = None  # None: not known (no check is possible)
    id_scope: str | None = None  # the connected account's id scope (contracts.ids); None: the first account

    @property
    def connected(self) -> bool:
        """Not known to be disconnected (``pending`` — initial sync running — may be written to)."""
        return self.connection_status not in ("not_connected", "error")

    def missing(self, needed: Iterable[str]) -> list[str]:
        """The needed account choices not made (all of them if made for another NetSuite account)."""
        stale = bool(self.netsuite_account_id and self.setup_account_id
                     and self.netsuite_account_id.upper() != self.setup_account_id.upper())
        return [choice for choice in needed if stale or not getattr(self, choice)]

    def account(self, choice: str) -> str:
        value = getattr(self, choice)
        assert value, f"{choice} not chosen"
        return value


# Work deciding on a tenant's setup holds this lock shared; a setup change holds it exclusively.
# So a decision either sees the change, or is committed before the change looks for waiting work.
LOCK_SHARED = "SELECT pg_advisory_xact_lock_shared(hashtext('sb-setup:' || $1))"
LOCK_EXCLUSIVE = "SELECT pg_advisory_xact_lock(hashtext('sb-setup:' || $1))"


async def save_connection(connection: asyncpg.Connection, event: ConnectionChanged) -> None:
    data = event.data
    await connection.execute(LOCK_EXCLUSIVE, event.tenant_id)
    await connection.execute(SAVE_CONNECTION, event.tenant_id, data.status, data.netsuite_account_id,
                             data.timezone, data.changed_at, data.id_scope)


async def save_accounts(connection: asyncpg.Connection, event: AccountSetupSaved) -> None:
    data = event.data
    await connection.execute(LOCK_EXCLUSIVE, event.tenant_id)
    await connection.execute(SAVE_ACCOUNTS, event.tenant_id, data.netsuite_account_id, data.undeposited_funds,
                             data.deposit_bank, data.fee_expense, data.platform_income, data.saved_at,
                             data.currencies.get("deposit_bank"))


async def load(connection, tenant_id: str, for_decision: bool = True) -> TenantSetup:
    """The tenant's setup; ``for_decision`` (inside the deciding transaction) orders it against setup changes."""
    if for_decision:
        await connection.execute(LOCK_SHARED, tenant_id)
    row = await connection.fetchrow(GET, tenant_id)
    return TenantSetup(**dict(row)) if row else TenantSetup(tenant_id)


def setup_missing_item(source: str, choice: str, at) -> ActionItemData:
    """The item telling the partner which account choice work is waiting for (one per service and choice)."""
    return ActionItemData(
        item_id=f"{source}:{SETUP_MISSING}:{choice}", kind=SETUP_MISSING, source=source, at=at,
        message=(f"Choose {CHOICE_LABELS[choice]} in the NetSuite account setup: "
                 "write-back to NetSuite is waiting for it."),
    )


async def resolve_made_choices(connection: asyncpg.Connection, setup: TenantSetup, source: str) -> list:
    """Resolve this service's setup items whose choice has now been made."""
    return await resolve_kind(connection, setup.tenant_id, SETUP_MISSING, keep=still_missing(setup, source))


def still_missing(setup: TenantSetup, source: str) -> set[str]:
    """The ids of this service's setup items whose choice is still not made."""
    return {f"{source}:{SETUP_MISSING}:{choice}" for choice in setup.missing(CHOICES)}
