"""Background loop: decides again the payouts whose blocker may be gone (account setup, connection,
a refused write) and posts those a crash left pending. Woken at once by a setup change; otherwise
every ``interval_s``. Failed attempts are counted on the row and retried later with back-off.
"""
from __future__ import annotations

import asyncio

from sb_runtime import outbox
from sb_runtime.errors import TransientError
from sb_runtime.logging import bind_unit_of_work, get_logger

from deposit_writer import store, writing
from deposit_writer.deciding import evaluate
from deposit_writer.deps import Deps

log = get_logger(__name__)
BATCH = 100


async def run(deps: Deps, interval_s: float) -> None:
    while True:
        try:
            await asyncio.wait_for(deps.wakeup.wait(), interval_s)
        except TimeoutError:
            pass
        deps.wakeup.clear()
        while await resume_due(deps) == BATCH:
            pass


async def resume_due(deps: Deps) -> int:
    async with deps.pool.acquire() as connection:
        due = await store.due(connection, deps.stale_pending_s, BATCH)
    free = [key for key in due if not deps.locks.busy(("payout", *key))]
    for tenant_id, payout_id in free:
        bind_unit_of_work(tenant_id=tenant_id, payout_id=payout_id, via="resumer")
        try:
            log.info("payout.resumed", state=await resume_payout(deps, tenant_id, payout_id))
        except TransientError as error:  # counted on the row by the writer; retried later
            log.warning("payout.resume_failed", error=str(error))
        except Exception as error:  # noqa: BLE001 - keep the loop going, keep the error visible
            log.error("payout.resume_crashed", error=repr(error))
            async with deps.pool.acquire() as connection:
                await store.record_failure(connection, tenant_id, payout_id, repr(error))
    return len(free)


async def resume_payout(deps: Deps, tenant_id: str, payout_id: str) -> str:
    async with deps.pool.acquire() as connection, connection.transaction():
        await store.lock_tenant(connection, tenant_id)
        payout = await store.get_payout(connection, tenant_id, payout_id, lock=True)
        if payout is not None and payout.state in ("waiting", "action_needed"):
            await outbox.add(connection, [deps.topics.outbound(e) for e in await evaluate(connection, payout, deps)])
    return await writing.post_deposit(deps, tenant_id, payout_id)
