"""Per-tenant concurrency budget: the Protocol and the in-process (asyncio) implementation.

A budget hands out *slots*; the client holds one for the duration of each HTTP attempt and
releases it before sleeping between retries. ``LocalBudget`` also adapts its effective limit
AIMD-style: 429 / 5xx halve it (at most once per cooldown, so one burst of 429s counts once);
each success adds ``1 / effective`` so it regains one slot per round of successful calls.
``PostgresBudget`` (``pg_budget``) wraps a ``LocalBudget`` and adds cross-process leases.
"""

from __future__ import annotations

import asyncio
import time
from collections import deque
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from typing import Protocol


class ConcurrencyBudget(Protocol):
    """What the client needs from a budget."""

    def slot(self) -> AbstractAsyncContextManager[None]:
        """Wait for and hold one request slot."""
        ...

    def on_throttled(self) -> None:
        """A 429 or 5xx was seen: reduce pressure."""
        ...

    def on_success(self) -> None:
        """A request succeeded: recover pressure slowly."""
        ...


class LocalBudget:
    """At most ``limit`` concurrent slots in this process, adaptively reduced under 429s."""

    def __init__(
        self,
        limit: int,
        *,
        min_limit: int = 1,
        decrease_factor: float = 0.5,
        cooldown_s: float = 1.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if limit < 1:
            raise ValueError("a budget needs at least one slot")
        self.limit = limit
        self.min_limit = min(min_limit, limit)
        self.in_use = 0
        self.max_in_use = 0
        self._effective = float(limit)
        self._decrease_factor = decrease_factor
        self._cooldown_s = cooldown_s
        self._clock = clock
        self._last_decrease = -float("inf")
        self._waiters: deque[asyncio.Future[None]] = deque()

    @property
    def effective_limit(self) -> int:
        return max(self.min_limit, int(self._effective))

    @asynccontextmanager
    async def slot(self) -> AsyncIterator[None]:
        await self._acquire()
        try:
            yield
        finally:
            self._release()

    def on_throttled(self) -> None:
        now = self._clock()
        if now - self._last_decrease < self._cooldown_s:
            return
        self._last_decrease = now
        self._effective = max(float(self.min_limit), self._effective * self._decrease_factor)

    def on_success(self) -> None:
        if self._effective < self.limit:
            self._effective = min(float(self.limit), self._effective + 1 / self._effective)
            self._wake()

    async def _acquire(self) -> None:
        if not self._waiters and self.in_use < self.effective_limit:
            self._take()
            return
        waiter = asyncio.get_running_loop().create_future()
        self._waiters.append(waiter)
        try:
            await waiter
        except asyncio.CancelledError:
            if waiter.done() and not waiter.cancelled():
                self._release()  # granted just before the cancellation: hand it on
            elif waiter in self._waiters:
                self._waiters.remove(waiter)
            raise

    def _take(self) -> None:
        self.in_use += 1
        self.max_in_use = max(self.max_in_use, self.in_use)

    def _release(self) -> None:
        self.in_use -= 1
        self._wake()

    def _wake(self) -> None:
        while self._waiters and self.in_use < self.effective_limit:
            waiter = self._waiters.popleft()
            if not waiter.done():
                self._take()
                waiter.set_result(None)


class UnlimitedBudget:
    """No limit at all; for tools and tests that measure the server side."""

    @asynccontextmanager
    async def slot(self) -> AsyncIterator[None]:
        yield

    def on_throttled(self) -> None:
        pass

    def on_success(self) -> None:
        pass
