"""Use cases: one function per incoming event. Each records its effect durably (inbox, state row and
outbox in one transaction) before anything is written to NetSuite; ``writing`` then does the write.
"""
from __future__ import annotations

from dataclasses import replace

from contracts.invoices import PlatformInvoiceUpdated
from contracts.payments import PaymentFailed, PaymentReceived
from sb_runtime.inbox import process_once
from sb_writeback import setup
from sb_writeback.action_items import raise_once, resolve_once

from payment_reconciler import reconciling, store, writing
from payment_reconciler.deps import Deps
from payment_reconciler.outcomes import SOURCE, currency_mismatch_item, outcome
from payment_reconciler.reconciling import Decision, InvoiceRef, Payment


async def payment_received(event: PaymentReceived, deps: Deps) -> str:
    """R9/R14/R18 for one payment; returns the payment's state afterwards."""
    tenant_id, payment_id = event.tenant_id, event.data.payment_id
    if await store.get_invoice(deps.pool, tenant_id, event.data.invoice_id) is None:
        await deps.freshness.caught_up()  # unknown only once the map holds all invoices published so far

    async def effect(connection):
        return [deps.topics.outbound(e) for e in await record_received(connection, event, deps)]

    await process_once(deps.pool, deps.service, event.event_id, effect)
    return await writing.write_payment(deps, tenant_id, payment_id)


async def record_received(connection, event: PaymentReceived, deps: Deps) -> list:
    tenant_id, data = event.tenant_id, event.data
    tenant = await setup.load(connection, tenant_id)  # lock order everywhere: setup, then the payment row
    existing = await store.get_payment(connection, tenant_id, data.payment_id, lock=True)
    invoice = await store.get_invoice(connection, tenant_id, data.invoice_id)
    if existing is None:
        payment = reconciling.received(event)
        decision = reconciling.decide(payment, invoice, tenant)
        payment, events = await apply_decision(connection, payment, decision, invoice, deps)
        await store.insert_payment(connection, payment)
        return events
    if existing.state == "failed" and not existing.known:  # its failure came first: nothing to write
        payment = with_route(reconciling.with_details(existing, event), invoice)
        await store.update_payment(connection, payment, "failed")
        return [outcome(payment, "failed", deps.clock(), existing.failure_reason)]
    return []  # a redelivery, or the same payment under another event id


def with_route(payment: Payment, invoice: InvoiceRef | None) -> Payment:
    if invoice is None:
        return replace(payment, origin="platform")
    return replace(payment, origin="netsuite", netsuite_invoice_id=invoice.netsuite_invoice_id,
                   netsuite_customer_id=invoice.netsuite_customer_id, invoice_number=invoice.number)


async def apply_decision(connection, payment: Payment, decision: Decision, invoice: InvoiceRef | None,
                         deps: Deps) -> tuple[Payment, list]:
    """The payment in its decided state, and the events that announce it."""
    at = deps.clock()
    payment = replace(with_route(payment, invoice), state=decision.state, reason=decision.reason,
                      planned_apply=decision.planned_apply)
    if decision.state == "pending":
        return payment, []
    events = [outcome(payment, decision.state, at, payment.reason)]
    if decision.state == "action_needed":
        events += await raise_once(connection, payment.tenant_id, currency_mismatch_item(payment, at))
    for choice in decision.missing:
        events += await raise_once(connection, payment.tenant_id, setup.setup_missing_item(SOURCE, choice, at))
    return payment, events


async def payment_failed(event: PaymentFailed, deps: Deps) -> str:
    """R10: nothing is written to NetSuite; the failure is recorded and announced."""
    tenant_id, payment_id = event.tenant_id, event.data.payment_id

    async def effect(connection):
        return [deps.topics.outbound(e) for e in await record_failed(connection, event, deps)]

    await process_once(deps.pool, deps.service, event.event_id, effect)
    # A payment still pending may or may not have reached NetSuite: the writer looks it up.
    return await writing.write_payment(deps, tenant_id, payment_id)


async def record_failed(connection, event: PaymentFailed, deps: Deps) -> list:
    tenant_id, data = event.tenant_id, event.data
    existing = await store.get_payment(connection, tenant_id, data.payment_id, lock=True)
    if existing is None:
        await store.insert_payment(connection, Payment(tenant_id, data.payment_id, "failed", invoice_id=data.invoice_id,
                                                       failed_at=data.failed_at, failure_reason=data.reason))
        return []
    if existing.state == "failed" or existing.failed_at is not None:
        return []
    payment = replace(existing, failed_at=data.failed_at, failure_reason=data.reason)
    if existing.state == "pending":
        await store.update_payment(connection, payment, "pending")
        return []
    payment = replace(payment, state="failed")
    await store.update_payment(connection, payment, existing.state)
    events = [outcome(payment, "failed", deps.clock(), data.reason)]
    return events + await resolve_once(connection, tenant_id, f"{SOURCE}:currency_mismatch:{data.payment_id}")


async def invoice_updated(event: PlatformInvoiceUpdated, deps: Deps) -> None:
    async def effect(connection):
        await store.save_invoice(connection, event)
        return []

    await process_once(deps.pool, deps.service, event.event_id, effect)
