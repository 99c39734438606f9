"""Background loop: resumes work rows that wait (account setup, connection, a refused write) when
their blocker may be gone, and pending rows a crash left behind. Woken at once by a setup change;
otherwise every ``interval_s``. A failed attempt is counted on the row with its error and retried
later with back-off (``WorkTable.record_failure``), so nothing is dropped and nothing retries
invisibly. Work this process is already writing (a consumer holds its lock) is not raced for.
"""
from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

from sb_runtime.errors import TransientError
from sb_runtime.logging import bind_unit_of_work, get_logger

from sb_writeback.deps import WriteBackDeps

log = get_logger(__name__)
BATCH = 100
Resume = Callable[[Any, str, str], Awaitable[str]]  # (deps, tenant_id, work id) -> state afterwards


async def run(deps: WriteBackDeps, resume: Resume, interval_s: float, concurrency: int = 8) -> None:
    while True:
        try:
            await asyncio.wait_for(deps.wakeup.wait(), interval_s)
        except TimeoutError:
            pass
        deps.wakeup.clear()
        while await resume_due(deps, resume, concurrency) == BATCH:
            pass


async def resume_due(deps: WriteBackDeps, resume: Resume, concurrency: int = 8) -> int:
    work = deps.work
    async with deps.store.transaction() as transaction:
        due = await transaction.due(deps.stale_pending_s, BATCH)
    gate = asyncio.Semaphore(concurrency)

    async def one(tenant_id: str, work_id: str) -> None:
        async with gate:
            bind_unit_of_work(tenant_id=tenant_id, **{work.key: work_id}, via="resumer")
            try:
                log.info(f"{work.kind}.resumed", state=await resume(deps, tenant_id, work_id))
            except TransientError as error:  # counted on the row by the writer; retried later
                log.warning(f"{work.kind}.resume_failed", error=str(error))
            except Exception as error:  # noqa: BLE001 - keep the loop going, keep the error visible
                log.error(f"{work.kind}.resume_crashed", error=repr(error))
                async with deps.store.transaction() as transaction:
                    await transaction.record_failure(tenant_id, work_id, repr(error))

    free = [key for key in due if not deps.locks.busy((work.kind, *key))]
    await asyncio.gather(*(one(*key) for key in free))
    return len(free)
