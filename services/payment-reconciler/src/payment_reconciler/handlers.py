"""Use cases: one function per incoming event. Each records its effect durably (inbox, state row and
outbox in one transaction) before anything is written to NetSuite; ``writing`` then does the write.
"""
from __future__ import annotations

from dataclasses import replace

from contracts.invoices import PlatformInvoiceUpdated
from contracts.payments import PaymentFailed, PaymentReceived
from sb_writeback import setup
from sb_writeback.store import process_once
from sb_writeback.work import WorkState

from payment_reconciler import reconciling, writing
from payment_reconciler.deps import Deps
from payment_reconciler.outcomes import SOURCE, currency_mismatch_item, other_account_events, outcome
from payment_reconciler.reconciling import Decision, InvoiceRef, Origin, Payment
from payment_reconciler.store import PaymentTransaction


async def payment_received(event: PaymentReceived, deps: Deps) -> str:
    """R9/R14/R18 for one payment; returns the payment's state afterwards."""
    tenant_id, payment_id = event.tenant_id, event.data.payment_id
    async with deps.store.transaction() as transaction:
        invoice = await transaction.get_invoice(tenant_id, event.data.invoice_id)
    if invoice is None:
        await deps.freshness.caught_up()  # unknown only once the map holds all invoices published so far
    await process_once(deps.store, deps.service, event.event_id,
                       lambda transaction: record_received(transaction, event, deps))
    return await writing.write_payment(deps, tenant_id, payment_id)


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
        return events
    if existing.state == WorkState.FAILED and not existing.known:  # its failure came first: nothing to write
        payment = with_route(reconciling.with_details(existing, event), invoice)
        await transaction.update_payment(payment, WorkState.FAILED)
        return [outcome(payment, WorkState.FAILED, deps.clock(), existing.failure_reason)]
    return []  # a redelivery, or the same payment under another event id


def with_route(payment: Payment, invoice: InvoiceRef | None) -> Payment:
    if invoice is None:
        return replace(payment, origin=Origin.PLATFORM)
    return replace(payment, origin=Origin.NETSUITE, netsuite_invoice_id=invoice.netsuite_invoice_id,
                   netsuite_customer_id=invoice.netsuite_customer_id, invoice_number=invoice.number)


async def apply_decision(transaction: PaymentTransaction, payment: Payment, decision: Decision,
                         invoice: InvoiceRef | None, deps: Deps) -> tuple[Payment, list]:
    """The payment in its decided state, and the events that announce it."""
    at, before = deps.clock(), payment
    payment = replace(with_route(payment, invoice), state=decision.state, reason=decision.reason,
                      planned_apply=decision.planned_apply)
    if decision.state == WorkState.PENDING:
        return payment, await other_account_events(transaction, before, decision, at)
    events = [outcome(payment, decision.state, at, payment.reason)]
    events += await other_account_events(transaction, before, decision, at)
    if decision.state == WorkState.ACTION_NEEDED:
        events += await transaction.raise_item(payment.tenant_id, currency_mismatch_item(payment, at))
    for choice in decision.missing:
        events += await transaction.raise_item(payment.tenant_id, setup.setup_missing_item(SOURCE, choice, at))
    return payment, events


async def payment_failed(event: PaymentFailed, deps: Deps) -> str:
    """R10: nothing is written to NetSuite; the failure is recorded and announced."""
    tenant_id, payment_id = event.tenant_id, event.data.payment_id

    await process_once(deps.store, deps.service, event.event_id,
                       lambda transaction: record_failed(transaction, event, deps))
    # A payment still pending may or may not have reached NetSuite: the writer looks it up.
    return await writing.write_payment(deps, tenant_id, payment_id)


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
    async def effect(transaction: PaymentTransaction) -> list:
        await transaction.save_invoice(event)
        return []

    await process_once(deps.store, deps.service, event.event_id, effect)
