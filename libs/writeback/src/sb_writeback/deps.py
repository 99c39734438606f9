"""What every write-back use case needs; each service's ``Deps`` adds its own (built in ``app.py``)."""
from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol

from contracts.envelope import utc_now
from sb_writeback.access import NetSuiteAccess
from sb_writeback.lanes import Lanes
from sb_writeback.locks import KeyedLocks
from sb_writeback.store import Store
from sb_writeback.topics import TopicNames
from sb_writeback.work import WorkTable


class Clients(Protocol):
    async def for_tenant(self, tenant_id: str) -> tuple[Any, NetSuiteAccess]:
        """The tenant's NetSuite client and access (``clients.NetSuiteClients``; ``fakes.FakeNetSuite``)."""


@dataclass(frozen=True, kw_only=True)
class WriteBackDeps:
    store: Store
    clients: Clients
    lanes: Lanes  # where each tenant's NetSuite work runs (``lanes.TenantLanes``; tests: ``InlineLanes``)
    work: WorkTable
    service: str  # the inbox consumer name and the source of the service's action items
    topics: TopicNames = TopicNames()
    stale_pending_s: float = 30.0
    locks: KeyedLocks = field(default_factory=KeyedLocks)
    wakeup: asyncio.Event = field(default_factory=asyncio.Event)
    clock: Callable[[], datetime] = utc_now
