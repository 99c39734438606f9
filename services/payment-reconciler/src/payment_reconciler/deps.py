"""What the use cases need, built once in ``app.py`` (tests pass their own)."""
from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol

import asyncpg

from contracts.envelope import utc_now
from sb_writeback.clients import NetSuiteClients
from sb_writeback.locks import KeyedLocks
from sb_writeback.topics import TopicNames


class InvoiceMapFreshness(Protocol):
    async def caught_up(self) -> None:
        """Return once the invoice map holds everything published before this call (else TransientError)."""
        ...


@dataclass
class Deps:
    pool: asyncpg.Pool
    clients: NetSuiteClients
    freshness: InvoiceMapFreshness
    topics: TopicNames = TopicNames()
    consumer: str = "payment-reconciler"
    stale_pending_s: float = 30.0
    locks: KeyedLocks = field(default_factory=KeyedLocks)
    wakeup: asyncio.Event = field(default_factory=asyncio.Event)
    clock: Callable[[], datetime] = utc_now
