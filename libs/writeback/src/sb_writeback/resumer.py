"""Background loop: finds work rows that wait (account setup, connection, a refused write) when their
blocker may be gone, and pending rows a crash left behind, and hands them to their tenant's lane
(``sb_writeback.lanes``). Woken at once by a setup change; otherwise every ``interval_s``. A failed
attempt is counted on the row with its error and retried later with back-off
(``WorkTable.record_failure``), so nothing is dropped and nothing retries invisibly. Rows already in
this process's lanes are not handed over again.
"""
from __future__ import annotations

import asyncio

from sb_runtime.logging import get_logger

from sb_writeback.deps import WriteBackDeps

log = get_logger(__name__)
BATCH = 100


async def run(deps: WriteBackDeps, interval_s: float) -> None:
    while True:
        try:
            await asyncio.wait_for(deps.wakeup.wait(), interval_s)
        except TimeoutError:
            pass
        deps.wakeup.clear()
        while await resume_due(deps) == BATCH:
            pass


async def resume_due(deps: WriteBackDeps) -> int:
    """Hand the due rows (at most ``BATCH``, none already in a lane here) to their lanes; how many."""
    async with deps.store.transaction() as transaction:
        due = await transaction.due(deps.stale_pending_s, BATCH, deps.lanes.busy())
    for tenant_id, work_id in due:
        try:
            await deps.lanes.submit(deps, tenant_id, work_id, resume=True)
        except Exception as error:  # noqa: BLE001 - inline lanes (tests) raise; the row counted it
            log.warning(f"{deps.work.kind}.resume_failed", tenant_id=tenant_id, error=repr(error))
    return len(due)
