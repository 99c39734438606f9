"""In-memory twins of the write-back store and of NetSuite's record API, for handler unit tests.

``FakeDatabase`` holds what the tables hold; ``FakeTransaction`` is the shared part of a
transaction on it (the same behaviour as ``store.PgTransaction``: the contract tests run both);
``FakeStore`` opens transactions that roll back on an exception. ``FakeNetSuite`` keeps created
records by type and externalId and can be told to refuse the next creates.
"""
from __future__ import annotations

import contextlib
import copy
import itertools
from collections.abc import AsyncIterator
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import Any, Generic, TypeVar

from contracts.action_items import ActionItemData
from contracts.envelope import utc_now
from contracts.setup import AccountSetupSaved, ConnectionChanged
from netsuite_client import NotFoundError, PermanentNetSuiteError

from sb_writeback import action_items
from sb_writeback.access import NetSuiteAccess, NotConnected
from sb_writeback.setup import SETUP_MISSING, TenantSetup, still_missing
from sb_writeback.work import WorkState, retryable

SETUP_FIELDS = ("connection_status", "netsuite_account_id", "timezone", "setup_account_id", "undeposited_funds",
                "deposit_bank", "fee_expense", "platform_income", "deposit_bank_currency",
                "id_scope")


@dataclass
class WorkRow:
    """A work row: the service's own value (a Payment, a Payout) and the resume bookkeeping."""

    value: Any
    updated_at: datetime
    attempts: int = 0
    last_error: str | None = None
    next_attempt_at: datetime | None = None


@dataclass
class FakeDatabase:
    now: datetime = field(default_factory=utc_now)
    inbox: set[tuple[str, str]] = field(default_factory=set)
    tenants: dict[str, dict] = field(default_factory=dict)
    items: dict[tuple[str, str], dict] = field(default_factory=dict)  # open, generation, data
    work: dict[tuple[str, str], WorkRow] = field(default_factory=dict)
    tables: dict[str, dict] = field(default_factory=dict)  # the service's other tables, by name
    published: list = field(default_factory=list)

    def table(self, name: str) -> dict:
        return self.tables.setdefault(name, {})

    def events(self, event_type: str) -> list:
        """The published events of one type, oldest first."""
        return [event for event in self.published if event.event_type == event_type]

    def item_kinds(self, event_type: str = "ActionItemRaised") -> list[str]:
        """The kinds of the action items raised (or resolved: ``"ActionItemResolved"``), oldest first."""
        return [event.data.kind for event in self.events(event_type)]


class FakeTransaction:
    def __init__(self, db: FakeDatabase) -> None:
        self.db = db

    async def claim(self, consumer: str, event_id: str) -> bool:
        if (consumer, event_id) in self.db.inbox:
            return False
        self.db.inbox.add((consumer, event_id))
        return True

    async def load_setup(self, tenant_id: str, for_decision: bool = True) -> TenantSetup:
        row = self.db.tenants.get(tenant_id, {})
        return TenantSetup(tenant_id, **{name: row.get(name) for name in SETUP_FIELDS})

    async def save_connection(self, event: ConnectionChanged) -> None:
        data, row = event.data, self.db.tenants.setdefault(event.tenant_id, {})
        if row.get("connection_changed_at") is None or row["connection_changed_at"] <= data.changed_at:
            row.update(connection_status=data.status, connection_changed_at=data.changed_at,
                       netsuite_account_id=data.netsuite_account_id or row.get("netsuite_account_id"),
                       timezone=data.timezone or row.get("timezone"),
                       id_scope=data.id_scope if data.netsuite_account_id else row.get("id_scope"))

    async def save_accounts(self, event: AccountSetupSaved) -> None:
        data, row = event.data, self.db.tenants.setdefault(event.tenant_id, {})
        if row.get("setup_saved_at") is None or row["setup_saved_at"] <= data.saved_at:
            row.update(setup_account_id=data.netsuite_account_id, undeposited_funds=data.undeposited_funds,
                       deposit_bank=data.deposit_bank, fee_expense=data.fee_expense,
                       platform_income=data.platform_income, setup_saved_at=data.saved_at,
                       deposit_bank_currency=data.currencies.get("deposit_bank"))

    async def raise_item(self, tenant_id: str, item: ActionItemData) -> list:
        known = self.db.items.get((tenant_id, item.item_id))
        if known is not None and known["open"]:
            return []
        generation = 1 if known is None else known["generation"] + 1
        self.db.items[(tenant_id, item.item_id)] = {"open": True, "generation": generation,
                                                    "data": item.model_dump(mode="json")}
        return [action_items.raised(tenant_id, item, generation)]

    async def resolve_item(self, tenant_id: str, item_id: str, at: datetime | None = None) -> list:
        known = self.db.items.get((tenant_id, item_id))
        if known is None or not known["open"]:
            return []
        known["open"] = False
        return [action_items.resolved(tenant_id, item_id, known["generation"], known["data"], at)]

    async def resolve_made_choices(self, tenant: TenantSetup, source: str) -> list:
        keep, resolved = still_missing(tenant, source), []
        for (tenant_id, item_id), item in list(self.db.items.items()):
            if tenant_id == tenant.tenant_id and item["open"] and item["data"]["kind"] == SETUP_MISSING \
                    and item_id not in keep:
                resolved += await self.resolve_item(tenant_id, item_id)
        return resolved

    async def record_failure(self, tenant_id: str, work_id: str, error: str) -> None:
        row = self.db.work.get((tenant_id, work_id))
        if row is not None:
            row.next_attempt_at = self.db.now + timedelta(seconds=min(300, 2 ** min(row.attempts, 8)))
            row.attempts, row.last_error, row.updated_at = row.attempts + 1, error[:1000], self.db.now
            if hasattr(row.value, "attempts"):
                row.value = replace(row.value, attempts=row.attempts, last_error=row.last_error)

    async def due(self, stale_after_s: float, limit: int, busy: list[tuple[str, str]] = ()) -> list[tuple[str, str]]:
        now, busy = self.db.now, set(busy)

        def is_due(row: WorkRow) -> bool:
            if row.value.state in (WorkState.WAITING, WorkState.ACTION_NEEDED):
                return row.next_attempt_at is not None and row.next_attempt_at <= now
            return (row.value.state == WorkState.PENDING and row.updated_at < now - timedelta(seconds=stale_after_s)
                    and (row.next_attempt_at is None or row.next_attempt_at <= now))

        found = sorted((row.updated_at, key) for key, row in self.db.work.items() if is_due(row) and key not in busy)
        return [key for _, key in found[:limit]]

    async def schedule_waiting(self, tenant_id: str) -> None:
        for (tenant, _), row in self.db.work.items():
            state = row.value.state
            if tenant == tenant_id and (state == WorkState.WAITING
                                        or (state == WorkState.ACTION_NEEDED and row.last_error is not None)):
                row.next_attempt_at = self.db.now

    async def retry_now(self, tenant_id: str, work_id: str) -> bool:
        row = self.db.work.get((tenant_id, work_id))
        if row is None or not retryable(row.value.state, row.attempts, row.last_error):
            return False
        row.next_attempt_at = self.db.now
        return True

    async def publish(self, events: list) -> None:
        self.db.published.extend(events)


Tx = TypeVar("Tx", bound=FakeTransaction)


class FakeStore(Generic[Tx]):
    """Transactions on one ``FakeDatabase``; an exception inside one undoes all it did."""

    def __init__(self, transaction_type: type[Tx], db: FakeDatabase | None = None) -> None:
        self.db = db or FakeDatabase()
        self._type = transaction_type

    @contextlib.asynccontextmanager
    async def transaction(self) -> AsyncIterator[Tx]:
        before = copy.deepcopy(self.db.__dict__)
        try:
            yield self._type(self.db)
        except BaseException:
            self.db.__dict__.update(before)
            raise


class FakeRecords:
    """NetSuite's record API as the write-back writers use it: get, find_id, create_once."""

    def __init__(self) -> None:
        self.created: dict[tuple[str, str], tuple[str, dict]] = {}  # (type, externalId) -> (id, body)
        self.records: dict[tuple[str, str], dict] = {}  # (type, id) -> fields (e.g. an invoice's amountRemaining)
        self.refusals: list[PermanentNetSuiteError] = []  # raised by the next creates, first first
        self._ids = itertools.count(1000)

    async def get(self, record_type: str, record_id: str, **_: Any) -> dict:
        if (record_type, record_id) not in self.records:
            raise NotFoundError(f"{record_type} {record_id} not found", status=404)
        return self.records[(record_type, record_id)]

    async def find_id(self, record_type: str, external_id: str) -> str | None:
        found = self.created.get((record_type, external_id))
        return found[0] if found else None

    async def create_once(self, record_type: str, external_id: str, body: dict) -> str:
        if (record_type, external_id) in self.created:
            return self.created[(record_type, external_id)][0]
        if self.refusals:
            raise self.refusals.pop(0)
        record_id = str(next(self._ids))
        self.created[(record_type, external_id)] = (record_id, body)
        return record_id

    def bodies(self, record_type: str) -> list[dict]:
        return [body for (kind, _), (_, body) in self.created.items() if kind == record_type]


@dataclass
class FakeNetSuite:
    """``NetSuiteClients`` for unit tests: every tenant reaches the same fake account."""

    records: FakeRecords = field(default_factory=FakeRecords)
    timezone: str | None = "America/New_York"
    not_connected: set[str] = field(default_factory=set)  # tenants whose connection is not usable
    account_id: str = "TSTDRV1"  # the account the connector's credentials are for

    async def for_tenant(self, tenant_id: str):
        if tenant_id in self.not_connected:
            raise NotConnected("the tenant is not connected")
        return self, NetSuiteAccess(account_id=self.account_id, rest_base_url="http://fake", restlet_base_url="http://fake",
                                    timezone=self.timezone)


async def set_up_tenant(deps: Any, tenant_id: str, account_id: str = "TSTDRV1", *, accounts: bool = True,
                        timezone: str = "America/New_York") -> None:
    """The tenant connected (and, with ``accounts``, its account choices saved) as the connector announces it."""
    from sb_writeback.handlers import setup_changed
    from sb_writeback.testing import account_setup_saved, connection_changed

    await setup_changed(connection_changed(tenant_id, account_id, timezone), deps)
    if accounts:
        await setup_changed(account_setup_saved(tenant_id, account_id), deps)
