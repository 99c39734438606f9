"""Use cases: one function per incoming event. Each records its effect durably (inbox, state row and
outbox in one transaction) and hands the payout to its tenant's lane (``deps.lanes``), where
``resumer.resume_payout`` / ``writing`` post it: consuming never waits for NetSuite.
"""
from __future__ import annotations

from contracts.payments import PaymentOutcomeRecorded
from contracts.payouts import DepositPosted
from sb_writeback.store import process_once

from deposit_writer.deciding import evaluate
from deposit_writer.deps import Deps
from deposit_writer.store import PayoutTransaction


async def deposit_posted(event: DepositPosted, deps: Deps) -> str:
    """R15 for one payout; returns its state as known now (``queued`` once in a real lane)."""
    tenant_id, payout_id = event.tenant_id, event.data.payout_id

    async def effect(transaction: PayoutTransaction) -> list:
        await transaction.lock_tenant(tenant_id)
        if not await transaction.insert_payout(event):
            return []  # a redelivery, or the same payout under another event id
        payout = await transaction.get_payout(tenant_id, payout_id, lock=True)
        return await evaluate(transaction, payout, deps)

    await process_once(deps.store, deps.service, event.event_id, effect)
    return await deps.lanes.submit(deps, tenant_id, payout_id)


async def payment_outcome(event: PaymentOutcomeRecorded, deps: Deps) -> None:
    """Keep the payment map; a payout waiting for this payment is decided again."""
    tenant_id = event.tenant_id
    completed: list[str] = []

    async def effect(transaction: PayoutTransaction) -> list:
        await transaction.lock_tenant(tenant_id)
        await transaction.save_payment(event)
        events = []
        for payout_id in await transaction.waiting_for_payment(tenant_id, event.data.payment_id):
            payout = await transaction.get_payout(tenant_id, payout_id, lock=True)
            events += await evaluate(transaction, payout, deps)
            completed.append(payout_id)
        return events

    await process_once(deps.store, deps.service, event.event_id, effect)
    for payout_id in completed:  # after a crash right here, the resumer finds them
        await deps.lanes.submit(deps, tenant_id, payout_id)
