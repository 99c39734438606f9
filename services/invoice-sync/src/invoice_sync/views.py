"""What the platform sees: contract data and events built from computed state (no I/O)."""
from __future__ import annotations

import datetime as dt
import hashlib

from contracts.action_items import ActionItemData, ActionItemRaised, ActionItemResolved
from contracts.customers import PlatformCustomerData, PlatformCustomerUpdated
from contracts.envelope import deterministic_event_id, envelope_fields
from contracts.invoices import PlatformInvoiceData, PlatformInvoiceUpdated, PlatformPayment

from invoice_sync.customers import Customer
from invoice_sync.ids import netsuite_id_of, platform_customer_id, platform_invoice_id
from invoice_sync.invoices import InvoiceState, Revert

SOURCE = "invoice-sync"
UNVERSIONED = {"version", "updated_at"}


def invoice_data(tenant_id: str, state: InvoiceState, payments: list[PlatformPayment], pdf_sha256: str | None,
                 invoice_id: str | None = None, *, version: int = 0,
                 updated_at: dt.datetime | None = None) -> PlatformInvoiceData:
    """The platform invoice (``version`` 0: not published yet; ``updated_at`` defaults to the state's change)."""
    shown = state.shown
    lines = [{"line": line.line, "item": line.item, "description": line.description, "quantity": str(line.quantity),
              "rate": line.rate, "amount": line.amount} for line in shown.lines]
    return PlatformInvoiceData.model_validate({
        "id": invoice_id or platform_invoice_id(tenant_id, shown.netsuite_id, shown.id_scope),
        "netsuite_id": shown.netsuite_id, "netsuite_id_scope": shown.id_scope, "number": shown.number,
        "customer_id": platform_customer_id(tenant_id, shown.customer_netsuite_id, shown.id_scope),
        "customer_netsuite_id": shown.customer_netsuite_id, "currency": shown.currency, "subsidiary": shown.subsidiary,
        "memo": shown.memo, "issued_on": shown.issued_on, "due_on": shown.due_on, "total": shown.total,
        "amount_remaining": state.amount_remaining, "status": state.status,
        "paid_via_platform": state.paid_via_platform, "archived": state.archived, "lines": lines,
        "pdf_sha256": pdf_sha256, "payments": payments, "version": version,
        "updated_at": updated_at or state.changed_at,
    })


def fingerprint(data: PlatformCustomerData) -> str:
    """Identifies the content the platform sees, regardless of version and time stamps."""
    return hashlib.sha256(data.model_dump_json(exclude=UNVERSIONED).encode()).hexdigest()


def invoice_updated(tenant_id: str, data: PlatformInvoiceData, content: str) -> PlatformInvoiceUpdated:
    # The id covers version and content: a rebuild that numbers versions differently never
    # reuses an id for different content (consumers dedupe on event_id).
    return PlatformInvoiceUpdated(
        **envelope_fields("PlatformInvoiceUpdated", tenant_id, data.id, data.version, content,
                          occurred_at=data.updated_at),
        data=data,
    )


def customer_data(customer: Customer) -> PlatformCustomerData:
    return PlatformCustomerData(id=customer.id, netsuite_id=netsuite_id_of(customer.netsuite_id), name=customer.name,
                                email=customer.email, currency=customer.currency, archived=False,
                                version=customer.version, updated_at=customer.updated_at)


def customer_updated(customer: Customer) -> PlatformCustomerUpdated:
    data = customer_data(customer)
    return PlatformCustomerUpdated(
        **envelope_fields("PlatformCustomerUpdated", customer.tenant_id, customer.id, customer.version,
                          fingerprint(data), occurred_at=customer.updated_at),
        data=data,
    )


def revert_item_id(tenant_id: str, payment_id: str) -> str:
    return deterministic_event_id("revert_invoice_in_netsuite", tenant_id, payment_id)


def revert_item(tenant_id: str, data: PlatformInvoiceData, revert: Revert, at: dt.datetime) -> ActionItemData:
    message = (f"Payment {revert.payment_id} of {revert.amount:.2f} {data.currency} failed on the platform: "
               f"revert invoice {data.number} to unpaid in NetSuite.")
    return ActionItemData(item_id=revert_item_id(tenant_id, revert.payment_id), kind="revert_invoice_in_netsuite",
                          message=message, invoice_id=data.id, payment_id=revert.payment_id,
                          netsuite_id=data.netsuite_id, source=SOURCE, at=at)


def revert_events(tenant_id: str, data: PlatformInvoiceData, before: dict[str, bool],
                  reverts: tuple[Revert, ...]) -> list[ActionItemRaised | ActionItemResolved]:
    """R10 action items for the reverts that appeared or resolved since ``before`` (payment id → resolved)."""
    events: list[ActionItemRaised | ActionItemResolved] = []
    for revert in reverts:
        if revert.payment_id not in before:
            item = revert_item(tenant_id, data, revert, data.updated_at)
            events.append(ActionItemRaised(**envelope_fields("ActionItemRaised", tenant_id, item.item_id,
                                                             occurred_at=item.at), data=item))
        if revert.resolved and not before.get(revert.payment_id, False):
            item = revert_item(tenant_id, data, revert, data.updated_at)
            events.append(ActionItemResolved(**envelope_fields("ActionItemResolved", tenant_id, item.item_id,
                                                               occurred_at=item.at), data=item))
    return events
