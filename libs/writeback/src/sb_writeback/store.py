"""The store every write-back use case talks to, behind small protocols so handlers run on a fake.

``Store.transaction()`` opens one transaction; what a use case does inside it (claim the event in
the inbox, change rows, raise or resolve action items, publish events through the outbox) commits
together or not at all. ``PgTransaction`` is the PostgreSQL side of the part both services share;
each service's ``store.py`` adds its own rows; ``testing.FakeStore`` is the in-memory twin.
"""
from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from datetime import datetime
from typing import Generic, Protocol, TypeVar

import asyncpg

from contracts.action_items import ActionItemData
from contracts.setup import AccountSetupSaved, ConnectionChanged
from sb_runtime import inbox, outbox

from sb_writeback import action_items, setup
from sb_writeback.setup import TenantSetup
from sb_writeback.topics import TopicNames
from sb_writeback.work import WorkTable


class WriteBackTransaction(Protocol):
    async def claim(self, consumer: str, event_id: str) -> bool:
        """True if the event is new for ``consumer`` (the inbox row commits with the effect)."""

    async def load_setup(self, tenant_id: str, for_decision: bool = True) -> TenantSetup: ...

    async def save_connection(self, event: ConnectionChanged) -> None: ...

    async def save_accounts(self, event: AccountSetupSaved) -> None: ...

    async def raise_item(self, tenant_id: str, item: ActionItemData) -> list: ...

    async def resolve_item(self, tenant_id: str, item_id: str, at: datetime | None = None) -> list: ...

    async def resolve_made_choices(self, tenant: TenantSetup, source: str) -> list: ...

    async def record_failure(self, tenant_id: str, work_id: str, error: str) -> None: ...

    async def due(self, stale_after_s: float, limit: int, busy: list[tuple[str, str]] = ()) -> list[tuple[str, str]]:
        """Rows to resume now, except those in ``busy`` (already in a lane of this process)."""

    async def schedule_waiting(self, tenant_id: str) -> None: ...

    async def retry_now(self, tenant_id: str, work_id: str) -> bool:
        """Resume this row at once if a retry can help it (``work.RETRY_NOW``); False otherwise."""

    async def publish(self, events: list) -> None:
        """Send the events once the transaction commits (the outbox)."""


T = TypeVar("T", bound=WriteBackTransaction, covariant=True)


class Store(Protocol, Generic[T]):
    def transaction(self) -> contextlib.AbstractAsyncContextManager[T]: ...


class PgTransaction:
    """The shared part of a write-back transaction on one PostgreSQL connection."""

    def __init__(self, connection: asyncpg.Connection, work: WorkTable, topics: TopicNames) -> None:
        self.connection = connection
        self.work = work
        self.topics = topics

    async def claim(self, consumer: str, event_id: str) -> bool:
        return await inbox.claim(self.connection, consumer, event_id)

    async def load_setup(self, tenant_id: str, for_decision: bool = True) -> TenantSetup:
        return await setup.load(self.connection, tenant_id, for_decision)

    async def save_connection(self, event: ConnectionChanged) -> None:
        await setup.save_connection(self.connection, event)

    async def save_accounts(self, event: AccountSetupSaved) -> None:
        await setup.save_accounts(self.connection, event)

    async def raise_item(self, tenant_id: str, item: ActionItemData) -> list:
        return await action_items.raise_once(self.connection, tenant_id, item)

    async def resolve_item(self, tenant_id: str, item_id: str, at: datetime | None = None) -> list:
        return await action_items.resolve_once(self.connection, tenant_id, item_id, at)

    async def resolve_made_choices(self, tenant: TenantSetup, source: str) -> list:
        return await setup.resolve_made_choices(self.connection, tenant, source)

    async def record_failure(self, tenant_id: str, work_id: str, error: str) -> None:
        await self.work.record_failure(self.connection, tenant_id, work_id, error)

    async def due(self, stale_after_s: float, limit: int, busy: list[tuple[str, str]] = ()) -> list[tuple[str, str]]:
        return await self.work.due(self.connection, stale_after_s, limit, busy)

    async def schedule_waiting(self, tenant_id: str) -> None:
        await self.work.schedule_waiting(self.connection, tenant_id)

    async def retry_now(self, tenant_id: str, work_id: str) -> bool:
        return await self.work.retry_now(self.connection, tenant_id, work_id)

    async def newest(self, tenant_id: str, state: str | None, limit: int, offset: int) -> list[dict]:
        return await self.work.newest(self.connection, tenant_id, state, limit, offset)

    async def done_per_hour(self, tenant_id: str) -> list[tuple]:
        return await self.work.done_per_hour(self.connection, tenant_id)

    async def publish(self, events: list) -> None:
        await outbox.add(self.connection, [self.topics.outbound(event) for event in events])


Tx = TypeVar("Tx", bound=PgTransaction)


class PgStore(Generic[Tx]):
    """Transactions of type ``transaction_type`` on connections of ``pool``."""

    def __init__(self, pool: asyncpg.Pool, transaction_type: type[Tx], work: WorkTable, topics: TopicNames) -> None:
        self.pool = pool
        self._type = transaction_type
        self._work = work
        self._topics = topics

    @contextlib.asynccontextmanager
    async def transaction(self) -> AsyncIterator[Tx]:
        async with self.pool.acquire() as connection, connection.transaction():
            yield self._type(connection, self._work, self._topics)


async def process_once(store: Store, consumer: str, event_id: str, effect) -> bool:
    """Run ``effect(transaction)`` once per event id; the events it returns are published with it.

    Inbox row, effect and outbox rows commit together or not at all (``sb_runtime.inbox``).
    """
    async with store.transaction() as transaction:
        if not await transaction.claim(consumer, event_id):
            return False
        await transaction.publish(await effect(transaction))
    return True
