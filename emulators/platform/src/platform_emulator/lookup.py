"""Finding what a helper names: an invoice in the book, a payment in the ledger, a fee line."""
from __future__ import annotations

from collections.abc import Mapping

from contracts.envelope import Event
from contracts.invoices import PlatformInvoiceUpdated
from contracts.payments import PaymentReceived
from contracts.payouts import Fee

from platform_emulator.book import InvoiceBook, InvoiceView
from platform_emulator.ledger import Ledger, PaymentRecord


def invoice(book: InvoiceBook, wanted: PlatformInvoiceUpdated | InvoiceView | str, tenant_id: str | None) -> InvoiceView:
    if isinstance(wanted, PlatformInvoiceUpdated):
        book.observe(wanted)
        tenant_id, wanted = wanted.tenant_id, wanted.data.id
    elif isinstance(wanted, InvoiceView):
        tenant_id, wanted = wanted.tenant_id, wanted.invoice_id
    found = [v for v in book.invoices(tenant_id) if v.invoice_id == wanted]
    if len(found) != 1:
        raise ValueError(f"invoice {wanted} is not (uniquely) in the book; pay_platform_invoice pays others")
    return found[0]


def payment(ledger: Ledger, wanted: PaymentReceived | str, tenant_id: str | None) -> PaymentRecord:
    if isinstance(wanted, PaymentReceived):
        tenant_id, wanted = wanted.tenant_id, wanted.data.payment_id
    if tenant_id is not None:
        found = [p for p in [ledger.payment(tenant_id, wanted)] if p is not None]
    else:
        found = [p for p in ledger.payments.values() if p.payment_id == wanted]
    if len(found) != 1:
        raise ValueError(f"payment {wanted} was not (uniquely) published by this emulator")
    return found[0]


def fee_line(fee: Fee | Mapping | tuple) -> Fee:
    """A ``Fee``, a mapping, or ``(kind, amount[, description])``."""
    if isinstance(fee, Fee):
        return fee
    if isinstance(fee, tuple):
        kind, amount, *description = fee
        fee = {"kind": kind, "amount": str(amount), "description": description[0] if description else kind}
    return Fee.model_validate({"description": str(fee["kind"]), **fee})


def log_fields(event: Event) -> dict:
    keys = ("payment_id", "invoice_id", "amount", "method", "reason", "payout_id", "net_amount")
    return {key: str(getattr(event.data, key)) for key in keys if hasattr(event.data, key)}
