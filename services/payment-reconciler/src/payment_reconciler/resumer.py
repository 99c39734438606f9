"""Background loop: resumes payments that wait (account setup, connection, a refused write) when
their blocker may be gone, and pending payments a crash left behind. Woken at once by a setup
change; otherwise every ``interval_s``. Each failed attempt is counted on the row with its error and
retried later with back-off, so nothing is dropped and nothing retries invisibly.
"""
from __future__ import annotations

import asyncio
from dataclasses import replace

from sb_runtime import outbox
from sb_runtime.errors import TransientError
from sb_runtime.logging import bind_unit_of_work, get_logger
from sb_writeback import setup

from payment_reconciler import reconciling, store, writing
from payment_reconciler.deps import Deps
from payment_reconciler.handlers import apply_decision

log = get_logger(__name__)
BATCH = 100


async def run(deps: Deps, interval_s: float, concurrency: int = 8) -> None:
    while True:
        try:
            await asyncio.wait_for(deps.wakeup.wait(), interval_s)
        except TimeoutError:
            pass
        deps.wakeup.clear()
        while await resume_due(deps, concurrency) == BATCH:
            pass


async def resume_due(deps: Deps, concurrency: int = 8) -> int:
    async with deps.pool.acquire() as connection:
        due = await store.due(connection, deps.stale_pending_s, BATCH)
    gate = asyncio.Semaphore(concurrency)

    async def one(tenant_id: str, payment_id: str) -> None:
        async with gate:
            bind_unit_of_work(tenant_id=tenant_id, payment_id=payment_id, via="resumer")
            try:
                state = await resume_payment(deps, tenant_id, payment_id)
                log.info("payment.resumed", state=state)
            except TransientError as error:  # counted on the row by the writer; retried later
                log.warning("payment.resume_failed", error=str(error))
            except Exception as error:  # noqa: BLE001 - keep the loop going, keep the error visible
                log.error("payment.resume_crashed", error=repr(error))
                async with deps.pool.acquire() as connection:
                    await store.record_failure(connection, tenant_id, payment_id, repr(error))

    # A payment this process is already writing (a consumer batch) is not raced for.
    free = [key for key in due if not deps.locks.busy(("payment", *key))]
    await asyncio.gather(*(one(*key) for key in free))
    return len(free)


async def resume_payment(deps: Deps, tenant_id: str, payment_id: str) -> str:
    async with deps.pool.acquire() as connection, connection.transaction():
        tenant = await setup.load(connection, tenant_id)  # lock order: setup, then the payment row
        payment = await store.get_payment(connection, tenant_id, payment_id, lock=True)
        if payment is not None and payment.state in ("waiting", "action_needed"):
            await _decide_again(connection, payment, tenant, deps)
    return await writing.write_payment(deps, tenant_id, payment_id)


async def _decide_again(connection, payment: reconciling.Payment, tenant: setup.TenantSetup, deps: Deps) -> None:
    invoice = await store.get_invoice(connection, payment.tenant_id, payment.invoice_id)
    decision = reconciling.decide(payment, invoice, tenant)
    if payment.planned_apply is not None:  # an earlier attempt may have sent it: keep the body stable
        decision = replace(decision, planned_apply=payment.planned_apply)
    decided, events = await apply_decision(connection, payment, decision, invoice, deps)
    await store.update_payment(connection, decided, payment.state)
    await outbox.add(connection, [deps.topics.outbound(e) for e in events])
