"""Resuming one payment (the loop is ``sb_writeback.resumer``): a waiting or refused payment is
decided again on what is known now, then written if that leaves it pending."""
from __future__ import annotations

from dataclasses import replace

from sb_writeback import setup
from sb_writeback.work import UNFINISHED
from sb_writeback.writing import publish

from payment_reconciler import reconciling, store, writing
from payment_reconciler.deps import Deps
from payment_reconciler.handlers import apply_decision


async def resume_payment(deps: Deps, tenant_id: str, payment_id: str) -> str:
    async with deps.pool.acquire() as connection, connection.transaction():
        tenant = await setup.load(connection, tenant_id)  # lock order: setup, then the payment row
        payment = await store.get_payment(connection, tenant_id, payment_id, lock=True)
        if payment is not None and payment.state in UNFINISHED:
            await _decide_again(connection, payment, tenant, deps)
    return await writing.write_payment(deps, tenant_id, payment_id)


async def _decide_again(connection, payment: reconciling.Payment, tenant: setup.TenantSetup, deps: Deps) -> None:
    invoice = await store.get_invoice(connection, payment.tenant_id, payment.invoice_id)
    decision = reconciling.decide(payment, invoice, tenant)
    if payment.planned_apply is not None:  # an earlier attempt may have sent it: keep the body stable
        decision = replace(decision, planned_apply=payment.planned_apply)
    decided, events = await apply_decision(connection, payment, decision, invoice, deps)
    await store.update_payment(connection, decided, payment.state)
    await publish(connection, deps, events)
