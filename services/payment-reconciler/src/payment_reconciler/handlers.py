"""Use cases: one function per incoming event. Each records its effect durably (inbox, state row and
outbox in one transaction) and hands the payment to its tenant's lane (``deps.lanes``), where
``resumer.resume_payment`` / ``writing`` do the NetSuite write: consuming never waits for NetSuite.
"""
from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from contracts.invoices import PlatformInvoiceUpdated
from contracts.payments import PaymentFailed, PaymentReceived
from sb_writeback import setup
from sb_writeback.store import process_once
from sb_writeback.work import WorkState

from payment_reconciler import reconciling
from payment_reconciler.deps import Deps
from payment_reconciler.outcomes import (SOURCE, currency_mismatch_item, invoice_unknown_id, invoice_unknown_item,
                                         other_account_events, outcome)
from payment_reconciler.reconciling import Decision, InvoiceRef, Origin, Payment
from payment_reconciler.store import PaymentTransaction


async def payment_received(event: PaymentReceived, deps: Deps) -> str:
    """R9/R14/R18 for one payment; returns its state as known now (``queued`` once in a real lane)."""
    return await _recorded_then_queued(event, deps, record_received)


async def record_received(transaction: PaymentTransaction, event: PaymentReceived, deps: Deps) -> list:
    tenant_id, data = event.tenant_id, event.data
    tenant = await transaction.load_setup(tenant_id)  # lock order everywhere: setup, then the payment row
    existing = await transaction.get_payment(tenant_id, data.payment_id, lock=True)
    invoice = await transaction.get_invoice(tenant_id, data.invoice_id)
    if existing is None:
        payment = reconciling.received(event)
        decision = reconciling.decide(payment, invoice, tenant)
        payment, events = await apply_decision(transaction, payment, decision, invoice, deps)
        await transaction.insert_payment(payment)
        if decision.awaits_invoice:  # decided again when the invoice arrives, or after the bound (an item)
            await transaction.recheck_after(tenant_id, data.payment_id, deps.invoice_unknown_after_s)
        return events
    if existing.state == WorkState.FAILED and not existing.known:  # its failure came first: nothing to write
        payment = with_route(reconciling.with_details(existing, event), invoice)
        await transaction.update_payment(payment, WorkState.FAILED)
        return [outcome(payment, WorkState.FAILED, deps.clock(), existing.failure_reason)]
    return []  # a redelivery, or the same payment under another event id


def with_route(payment: Payment, invoice: InvoiceRef | None, origin: Origin = Origin.PLATFORM) -> Payment:
    if invoice is None:
        return replace(payment, origin=origin)
    return replace(payment, origin=Origin.NETSUITE, netsuite_invoice_id=invoice.netsuite_invoice_id,
                   netsuite_customer_id=invoice.netsuite_customer_id, invoice_number=invoice.number)


async def apply_decision(transaction: PaymentTransaction, payment: Payment, decision: Decision,
                         invoice: InvoiceRef | None, deps: Deps, again: bool = False) -> tuple[Payment, list]:
    """The payment in its decided state, and the events that announce it. ``again``: decided before
    (resumed); one still waiting for its invoice then becomes an action item, one no longer resolves it."""
    at, before = deps.clock(), payment
    waited_for_invoice = again and payment.state == WorkState.WAITING and payment.origin == Origin.NETSUITE \
        and payment.netsuite_invoice_id is None
    payment = replace(with_route(payment, invoice, decision.origin), state=decision.state, reason=decision.reason,
                      planned_apply=decision.planned_apply)
    if decision.awaits_invoice and again:  # still waiting: an item once it has waited the bound
        bound = timedelta(seconds=deps.invoice_unknown_after_s)
        waited = payment.received_at is None or at - payment.received_at >= bound
        return payment, await transaction.raise_item(payment.tenant_id, invoice_unknown_item(payment, at)) \
            if waited else []
    resolved = await transaction.resolve_item(payment.tenant_id, invoice_unknown_id(payment), at) \
        if waited_for_invoice else []
    if decision.state == WorkState.PENDING:
        return payment, resolved + await other_account_events(transaction, before, decision, at)
    events = resolved + [outcome(payment, decision.state, at, payment.reason)]
    events += await other_account_events(transaction, before, decision, at)
    if decision.state == WorkState.ACTION_NEEDED:
        events += await transaction.raise_item(payment.tenant_id, currency_mismatch_item(payment, at))
    for choice in decision.missing:
        events += await transaction.raise_item(payment.tenant_id, setup.setup_missing_item(SOURCE, choice, at))
    return payment, events


async def payment_failed(event: PaymentFailed, deps: Deps) -> str:
    """R10: nothing is written to NetSuite; the failure is recorded and announced. A payment still pending
    may or may not have reached NetSuite: the writer (in the lane) looks it up."""
    return await _recorded_then_queued(event, deps, record_failed)


async def _recorded_then_queued(event: PaymentReceived | PaymentFailed, deps: Deps, record) -> str:
    """The event's effect made durable once (inbox claim, payment row), then the payment handed to its
    tenant's lane for the NetSuite side."""
    await process_once(deps.store, deps.service, event.event_id,
                       lambda transaction: record(transaction, event, deps))
    return await deps.lanes.submit(deps, event.tenant_id, event.data.payment_id)


async def record_failed(transaction: PaymentTransaction, event: PaymentFailed, deps: Deps) -> list:
    tenant_id, data = event.tenant_id, event.data
    existing = await transaction.get_payment(tenant_id, data.payment_id, lock=True)
    if existing is None:
        await transaction.insert_payment(Payment(tenant_id, data.payment_id, WorkState.FAILED,
                                                 invoice_id=data.invoice_id, failed_at=data.failed_at,
                                                 failure_reason=data.reason))
        return []
    if existing.state == WorkState.FAILED or existing.failed_at is not None:
        return []
    payment = replace(existing, failed_at=data.failed_at, failure_reason=data.reason)
    if existing.state == WorkState.PENDING:
        await transaction.update_payment(payment, WorkState.PENDING)
        return []
    payment = replace(payment, state=WorkState.FAILED)
    await transaction.update_payment(payment, existing.state)
    events = [outcome(payment, WorkState.FAILED, deps.clock(), data.reason)]
    return events + await transaction.resolve_item(tenant_id, f"{SOURCE}:currency_mismatch:{data.payment_id}")


async def invoice_updated(event: PlatformInvoiceUpdated, deps: Deps) -> None:
    """Keep the invoice map; payments waiting for this invoice are due now."""
    woken: list[bool] = []

    async def effect(transaction: PaymentTransaction) -> list:
        await transaction.save_invoice(event)
        woken.append(await transaction.schedule_for_invoice(event.tenant_id, event.data.id))
        return []

    await process_once(deps.store, deps.service, event.event_id, effect)
    if any(woken):
        deps.wakeup.set()
