"""What every write-back use case needs; each service's ``Deps`` adds its own (built in ``app.py``)."""
from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

import asyncpg

from contracts.envelope import utc_now
from sb_writeback.clients import NetSuiteClients
from sb_writeback.locks import KeyedLocks
from sb_writeback.topics import TopicNames
from sb_writeback.work import WorkTable


@dataclass(frozen=True, kw_only=True)
class WriteBackDeps:
    pool: asyncpg.Pool
    clients: NetSuiteClients
    work: WorkTable
    service: str  # the inbox consumer name and the source of the service's action items
    topics: TopicNames = TopicNames()
    stale_pending_s: float = 30.0
    locks: KeyedLocks = field(default_factory=KeyedLocks)
    wakeup: asyncio.Event = field(default_factory=asyncio.Event)
    clock: Callable[[], datetime] = utc_now
