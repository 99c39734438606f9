"""Resuming one payment (the loop is ``sb_writeback.resumer``): a waiting or refused payment is
decided again on what is known now, then written if that leaves it pending."""
from __future__ import annotations

from dataclasses import replace

from sb_writeback.setup import TenantSetup
from sb_writeback.work import UNFINISHED

from payment_reconciler import reconciling, writing
from payment_reconciler.deps import Deps
from payment_reconciler.handlers import apply_decision
from payment_reconciler.store import PaymentTransaction


async def resume_payment(deps: Deps, tenant_id: str, payment_id: str) -> str:
    async with deps.store.transaction() as transaction:
        tenant = await transaction.load_setup(tenant_id)  # lock order: setup, then the payment row
        payment = await transaction.get_payment(tenant_id, payment_id, lock=True)
        if payment is not None and payment.state in UNFINISHED:
            await _decide_again(transaction, payment, tenant, deps)
    return await writing.write_payment(deps, tenant_id, payment_id)


async def _decide_again(transaction: PaymentTransaction, payment: reconciling.Payment, tenant: TenantSetup,
                        deps: Deps) -> None:
    invoice = await transaction.get_invoice(payment.tenant_id, payment.invoice_id)
    decision = reconciling.decide(payment, invoice, tenant)
    if payment.planned_apply is not None:  # an earlier attempt may have sent it: keep the body stable
        decision = replace(decision, planned_apply=payment.planned_apply)
    decided, events = await apply_decision(transaction, payment, decision, invoice, deps, again=True)
    await transaction.update_payment(decided, payment.state)
    if decision.awaits_invoice:
        await transaction.recheck_after(payment.tenant_id, payment.payment_id, deps.invoice_unknown_after_s)
    await transaction.publish(events)
