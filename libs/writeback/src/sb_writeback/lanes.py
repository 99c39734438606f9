"""Per-tenant lanes: where each tenant's NetSuite work runs, apart from every other tenant's.

Consuming a payment (a payout) only makes it durable — inbox row and work row in one transaction —
and hands the row to its tenant's lane; the message is then acked. A lane is a queue of work ids
with its own concurrency and its own back-off: a tenant whose NetSuite fails every request, answers
slowly or has no usable credentials only slows its own lane. A transient failure (NetSuite,
connector, database; ``sb_runtime.errors.is_transient``) keeps the row in its lane and pauses that
lane for a growing, capped time; the row also counts the attempt (``NotWrittenYet``), so other
processes and the resumer see it. Nothing lives only here: every row is durable before it is
queued, and rows a crash left behind are found again by ``sb_writeback.resumer``.

Two kinds of work: ``write`` (a row a consumer has just decided: written if it is pending) and
``resume`` (a row the resumer found: decided again if it waits, then written).
``InlineLanes`` runs the work at once in the caller: the handler unit tests on fakes use it.
"""
from __future__ import annotations

import asyncio
import time
from collections import deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any, Protocol

from sb_runtime.errors import is_transient
from sb_runtime.logging import bind_unit_of_work, get_logger

log = get_logger(__name__)
Work = Callable[[Any, str, str], Awaitable[str]]  # (deps, tenant_id, work id) -> the row's state afterwards
QUEUED = "queued"


class Lanes(Protocol):
    async def submit(self, deps: Any, tenant_id: str, work_id: str, *, resume: bool = False) -> str:
        """Have the row's NetSuite work done in its tenant's lane (``resume``: decided again first);
        returns the state known now."""

    def busy(self) -> list[tuple[str, str]]:
        """The (tenant, work id) rows queued or running in this process's lanes."""


@dataclass(frozen=True)
class LanePolicy:
    concurrency: int = 4  # writes in flight per tenant (its NetSuite budget bounds them too)
    base_backoff_s: float = 0.5
    max_backoff_s: float = 30.0

    def backoff(self, failures: int) -> float:
        return min(self.max_backoff_s, self.base_backoff_s * 2 ** (failures - 1))


class InlineLanes:
    """The work done at once, in the caller (unit tests: a lane without tasks or timing)."""

    def __init__(self, write: Work, resume: Work) -> None:
        self._write = write
        self._resume = resume

    async def submit(self, deps: Any, tenant_id: str, work_id: str, *, resume: bool = False) -> str:
        return await (self._resume if resume else self._write)(deps, tenant_id, work_id)

    def busy(self) -> list[tuple[str, str]]:
        return []


@dataclass
class _Lane:
    tenant_id: str
    queue: deque[str] = field(default_factory=deque)
    queued: set[str] = field(default_factory=set)
    running: set[str] = field(default_factory=set)
    resuming: set[str] = field(default_factory=set)  # queued ids to decide again before writing
    workers: set[asyncio.Task] = field(default_factory=set)
    failures: int = 0  # consecutive transient failures: the lane's back-off
    paused_until: float = 0.0

    def add(self, work_id: str, resume: bool = False) -> None:
        if resume:
            self.resuming.add(work_id)
        if work_id not in self.queued:
            self.queued.add(work_id)
            self.queue.append(work_id)


class TenantLanes:
    """One lane per tenant with work, each with its own workers (``policy.concurrency``) and back-off."""

    def __init__(self, write: Work, resume: Work, policy: LanePolicy = LanePolicy(),
                 clock: Callable[[], float] = time.monotonic):
        self._write = write
        self._resume = resume
        self._policy = policy
        self._clock = clock
        self._lanes: dict[str, _Lane] = {}
        self._closed = False

    async def submit(self, deps: Any, tenant_id: str, work_id: str, *, resume: bool = False) -> str:
        lane = self._lanes.setdefault(tenant_id, _Lane(tenant_id))
        lane.add(work_id, resume)
        if not self._closed:
            while len(lane.workers) < min(self._policy.concurrency, len(lane.queue)):
                task = asyncio.create_task(self._worker(deps, lane), name=f"lane-{tenant_id}")
                lane.workers.add(task)
        return QUEUED

    def busy(self) -> list[tuple[str, str]]:
        return [(lane.tenant_id, work_id) for lane in self._lanes.values() for work_id in lane.queued | lane.running]

    def backlog(self) -> int:
        """Rows queued or running in every lane (a metric)."""
        return sum(len(lane.queued | lane.running) for lane in self._lanes.values())

    def backing_off(self) -> int:
        """Tenants whose lane is paused after failures (a metric)."""
        now = self._clock()
        return sum(1 for lane in self._lanes.values() if lane.paused_until > now)

    async def run(self) -> None:
        """Held by the service while it runs; stopping it stops every lane (rows stay durable)."""
        try:
            await asyncio.Event().wait()
        finally:
            await self.stop()

    async def stop(self) -> None:
        self._closed = True
        tasks = [task for lane in self._lanes.values() for task in lane.workers]
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        self._lanes.clear()

    async def _worker(self, deps: Any, lane: _Lane) -> None:
        try:
            while lane.queue and not self._closed:
                pause = lane.paused_until - self._clock()
                if pause > 0:
                    await asyncio.sleep(pause)
                    continue
                work_id = lane.queue.popleft()
                lane.queued.discard(work_id)
                lane.running.add(work_id)
                try:
                    await self._one(deps, lane, work_id)
                finally:
                    lane.running.discard(work_id)
        finally:
            lane.workers.discard(asyncio.current_task())
            if not lane.workers and not lane.queue and self._lanes.get(lane.tenant_id) is lane:
                del self._lanes[lane.tenant_id]

    async def _one(self, deps: Any, lane: _Lane, work_id: str) -> None:
        kind = deps.work.kind
        bind_unit_of_work(tenant_id=lane.tenant_id, **{deps.work.key: work_id}, via="lane")
        resume = work_id in lane.resuming
        lane.resuming.discard(work_id)
        try:
            state = await (self._resume if resume else self._write)(deps, lane.tenant_id, work_id)
        except asyncio.CancelledError:
            raise
        except Exception as error:  # noqa: BLE001 - a lane must not die; the row stays durable
            if is_transient(error):
                lane.failures += 1
                pause = self._policy.backoff(lane.failures)
                lane.paused_until = self._clock() + pause
                lane.add(work_id, resume)  # stays in its lane, tried again after the lane's back-off
                log.warning(f"{kind}.lane_backoff", error=f"{type(error).__name__}: {error}", pause_s=pause,
                            failures=lane.failures)
                return
            log.error(f"{kind}.lane_crashed", error=repr(error))
            await _count_failure(deps, lane.tenant_id, work_id, repr(error))
            return
        lane.failures = 0
        log.info(f"{kind}.lane_done", state=state)


async def _count_failure(deps: Any, tenant_id: str, work_id: str, error: str) -> None:
    """A bug, not trouble: counted on the row (the resumer tries it again after its back-off)."""
    try:
        async with deps.store.transaction() as transaction:
            await transaction.record_failure(tenant_id, work_id, error)
    except Exception as failed:  # noqa: BLE001 - the row is durable; the resumer finds it when stale
        log.warning("lane.record_failure_failed", error=repr(failed))
