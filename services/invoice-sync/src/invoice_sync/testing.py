"""Builders of the contract events invoice-sync consumes, for tests and the benchmark.

Each builder gives sensible defaults and derives the event id the way producers do (from the
record's version), so building the same change twice gives the same event.
"""
from __future__ import annotations

import base64
import datetime as dt
import hashlib
from decimal import Decimal

from contracts.customers import CustomerChanged, CustomerChangedData
from contracts.envelope import envelope_fields
from contracts.ids import platform_invoice_id
from contracts.invoices import (InvoiceArchived, InvoiceChanged, InvoiceChangedData, InvoicePdfFetched,
                               InvoicePdfFetchedV2)
from contracts.payments import PaymentOutcomeData, PaymentOutcomeRecorded
from contracts.transactions import DepositChanged
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

T0 = dt.datetime(2026, 11, 1, 9, 0, tzinfo=dt.UTC)


def at(minutes: float) -> dt.datetime:
    """A point in time ``minutes`` after T0 (NetSuite times are whole seconds)."""
    return T0 + dt.timedelta(seconds=round(minutes * 60))


def lines_for(total: Decimal, count: int = 1) -> list[dict]:
    each = (total / count).quantize(Decimal("0.01"))
    amounts = [each] * (count - 1) + [total - each * (count - 1)]
    return [{"line": n + 1, "item": "Managed services", "description": f"Seat block {n + 1}", "quantity": "1",
             "rate": str(amount), "amount": str(amount)} for n, amount in enumerate(amounts)]


def version(netsuite_id: str = "901", *, minute: float = 0, total: str = "250.00", remaining: str | None = None,
            due_on: dt.date | None = dt.date(2026, 12, 1), customer: str = "55", number: str | None = None,
            lines: int = 1, echo: bool = False, status: str | None = None, **overrides) -> InvoiceChangedData:
    remaining = total if remaining is None else remaining
    fields = dict(
        netsuite_id=netsuite_id, number=number or f"INV{netsuite_id}", customer_netsuite_id=customer,
        customer_name="Acme Ltd", currency="USD", subsidiary="1", issued_on=dt.date(2026, 11, 1), due_on=due_on,
        memo=None, total=total, amount_remaining=remaining,
        amount_paid=str(Decimal(total) - Decimal(remaining)),
        netsuite_status=status or ("paid_in_full" if Decimal(remaining) == 0 else "open"),
        last_modified=at(minute), lines=lines_for(Decimal(total), lines), echo=echo,
    )
    fields.update(overrides)
    return InvoiceChangedData(**fields)


def invoice_changed(tenant_id: str, data: InvoiceChangedData) -> InvoiceChanged:
    return InvoiceChanged(**envelope_fields("InvoiceChanged", tenant_id, data.netsuite_id, data.last_modified.isoformat(),
                                            data.model_dump_json(), occurred_at=data.last_modified), data=data)


def invoice_archived(tenant_id: str, netsuite_id: str, *, minute: float, reason: str = "deleted") -> InvoiceArchived:
    return InvoiceArchived(**envelope_fields("InvoiceArchived", tenant_id, netsuite_id, reason, occurred_at=at(minute)),
                           data={"netsuite_id": netsuite_id, "reason": reason, "detected_at": at(minute)})


def outcome(tenant_id: str, netsuite_id: str, payment_id: str, status: str, *, minute: float, amount: str = "250.00",
            netsuite_payment_id: str | None = None, origin: str = "netsuite") -> PaymentOutcomeData:
    written = status in ("written", "deposited") or netsuite_payment_id is not None
    return PaymentOutcomeData(
        payment_id=payment_id, invoice_id=platform_invoice_id(tenant_id, netsuite_id), status=status, origin=origin,
        amount=amount, currency="USD", applied_amount=amount if written else None, netsuite_invoice_id=netsuite_id,
        netsuite_payment_id=netsuite_payment_id or (f"7{payment_id[-3:]}" if written else None), recorded_at=at(minute),
    )


def outcome_recorded(tenant_id: str, data: PaymentOutcomeData) -> PaymentOutcomeRecorded:
    return PaymentOutcomeRecorded(**envelope_fields("PaymentOutcomeRecorded", tenant_id, data.payment_id, data.status,
                                                    occurred_at=data.recorded_at), data=data)


def deposit_changed(tenant_id: str, netsuite_id: str, payment_ids: list[str], *, minute: float,
                    echo: bool = False) -> DepositChanged:
    return DepositChanged(**envelope_fields("DepositChanged", tenant_id, netsuite_id, at(minute).isoformat(),
                                            occurred_at=at(minute)),
                          data={"netsuite_id": netsuite_id, "total": "0.00", "payment_netsuite_ids": payment_ids,
                                "last_modified": at(minute), "echo": echo})


def customer(netsuite_id: str = "55", *, minute: float = 0, name: str = "Acme Ltd", email: str | None = "ap@acme.example",
             inactive: bool = False) -> CustomerChangedData:
    return CustomerChangedData(netsuite_id=netsuite_id, name=name, email=email, currency="USD", subsidiary="1",
                               inactive=inactive, last_modified=at(minute))


def customer_changed(tenant_id: str, data: CustomerChangedData) -> CustomerChanged:
    return CustomerChanged(**envelope_fields("CustomerChanged", tenant_id, data.netsuite_id, data.model_dump_json(),
                                             occurred_at=data.last_modified), data=data)


def minimal_pdf(text: str) -> bytes:
    """A tiny well-formed PDF whose bytes depend on ``text``."""
    return (b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\n% " + text.encode() + b"\ntrailer<</Root 1 0 R>>\n%%EOF\n")


def pdf_fetched(tenant_id: str, netsuite_id: str, content: bytes, *, minute: float) -> InvoicePdfFetched:
    sha256 = hashlib.sha256(content).hexdigest()
    return InvoicePdfFetched(
        **envelope_fields("InvoicePdfFetched", tenant_id, netsuite_id, sha256, occurred_at=at(minute)),
        data={"netsuite_id": netsuite_id, "sha256": sha256, "file_name": f"INV{netsuite_id}.pdf", "size": len(content),
              "content_base64": base64.b64encode(content).decode(), "invoice_last_modified": at(minute)},
    )


def pdf_by_reference(tenant_id: str, netsuite_id: str, content: bytes, *, minute: float) -> InvoicePdfFetchedV2:
    """Version 2: the bytes stay with the connector (``connector_pdfs`` serves them in tests)."""
    sha256 = hashlib.sha256(content).hexdigest()
    fields = envelope_fields("InvoicePdfFetched", tenant_id, netsuite_id, sha256, occurred_at=at(minute))
    return InvoicePdfFetchedV2(
        **fields | {"schema_version": 2},
        data={"netsuite_id": netsuite_id, "sha256": sha256, "file_name": f"INV{netsuite_id}.pdf", "size": len(content),
              "location": f"/internal/pdfs/{sha256}", "invoice_last_modified": at(minute)},
    )


def connector_pdfs(pdfs: dict[str, bytes], token: str) -> Starlette:
    """The connector's internal PDF route as far as invoice-sync sees it: bytes by SHA-256 for the
    internal token (``pdfs`` may hold other bytes than a key says: a connector gone wrong)."""

    async def pdf(request: Request) -> Response:
        if request.headers.get("authorization") != f"Bearer {token}":
            return Response(status_code=401)
        content = pdfs.get(request.path_params["sha256"])
        return Response(status_code=404) if content is None else Response(content, media_type="application/pdf")

    return Starlette(routes=[Route("/internal/pdfs/{sha256}", pdf)])
