"""For tests and the benchmark: the store in memory (``FakeStore``, ``fake_deps``) and builders of the
contract events invoice-sync consumes.

Each builder gives sensible defaults and derives the event id the way producers do (from the
record's version), so building the same change twice gives the same event.
"""
from __future__ import annotations

import base64
import contextlib
import copy
import datetime as dt
import hashlib
import json
from collections import defaultdict
from collections.abc import AsyncIterator, Iterable
from dataclasses import dataclass, field
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
from sb_runtime.outbox import OutboundMessage

from invoice_sync.customers import Customer
from invoice_sync.deps import Deps
from invoice_sync.invoices import Archive
from invoice_sync.payments import Payment
from invoice_sync.projection import InvoiceRecord, InvoiceRow, Pdf
from invoice_sync.store import Key, Known, StoredInvoice, parsed_version

T0 = dt.datetime(2026, 11, 1, 9, 0, tzinfo=dt.UTC)


@dataclass
class FakeDatabase:
    """invoice-sync's tables as dicts, keyed like their primary keys."""

    inbox: set[tuple[str, str]] = field(default_factory=set)
    outbox: list[OutboundMessage] = field(default_factory=list)
    versions: dict[tuple[str, str, dt.datetime], bytes] = field(default_factory=dict)
    archives: dict[Key, Archive] = field(default_factory=dict)
    blobs: dict[str, bytes] = field(default_factory=dict)
    pdfs: dict[Key, tuple[str, str, dt.datetime]] = field(default_factory=dict)  # sha256, file name, modified
    payments: dict[Key, Payment] = field(default_factory=dict)  # (tenant, payment id)
    deposits: dict[Key, tuple[dt.datetime, list[str]]] = field(default_factory=dict)
    invoices: dict[Key, tuple] = field(default_factory=dict)  # InvoiceRecord.values
    customers: dict[Key, Customer] = field(default_factory=dict)
    failures: list[BaseException] = field(default_factory=list)  # raised by the next transactions, first first


class FakeStore:
    """``store.Store`` in memory, with the same conflict rules as the SQL of ``store.PgStore``."""

    def __init__(self, db: FakeDatabase):
        self.db = db

    async def claim(self, consumer: str, event_ids: list[str]) -> set[str]:
        fresh = {i for i in event_ids if (consumer, i) not in self.db.inbox}
        self.db.inbox |= {(consumer, i) for i in fresh}
        return fresh

    async def lock(self, keys: Iterable[str]) -> None:
        return None  # one transaction at a time

    async def add_to_outbox(self, messages: list[OutboundMessage]) -> None:
        self.db.outbox.extend(messages)

    async def save_versions(self, versions: list[tuple[InvoiceChanged, bytes]]) -> None:
        self.db.versions.update({(e.tenant_id, e.data.netsuite_id, e.data.last_modified): raw for e, raw in versions})

    async def versions(self, keys: list[Key], known: Known | None = None) -> dict[Key, list[InvoiceChangedData]]:
        found: dict[Key, list[InvoiceChangedData]] = defaultdict(list)
        for (t, n, at), raw in sorted(self.db.versions.items(), key=lambda item: item[0]):
            if (t, n) in keys:
                found[(t, n)].append(parsed_version((t, n), at, raw, known or {}))
        return found

    async def invoice_inputs(self, keys: list[tuple[str, str, str]], known: Known | None = None) -> dict[Key, StoredInvoice]:
        found = {}
        for t, n, i in keys:
            row = self.db.invoices.get((t, n))
            pdf = self.db.pdfs.get((t, n))
            stored = [(at, raw) for (vt, vn, at), raw in self.db.versions.items() if (vt, vn) == (t, n)]
            at, raw = max(stored, key=lambda version: version[0]) if stored else (None, None)
            found[(t, n)] = StoredInvoice(
                row=InvoiceRow(row[20], row[21], json.loads(row[19]), row[22]) if row else None,
                archive=self.db.archives.get((t, n)), pdf=Pdf(pdf[0], pdf[2]) if pdf else None,
                latest=parsed_version((t, n), at, raw, known or {}) if raw else None,
                paid_on_platform=any(pt == t and p.invoice_id == i for (pt, _), p in self.db.payments.items()))
        return found

    async def save_archives(self, archives: list[tuple[Key, Archive]]) -> None:
        for key, archive in archives:
            if key not in self.db.archives or archive.detected_at < self.db.archives[key].detected_at:
                self.db.archives[key] = archive

    async def save_pdfs(self, blobs: dict[str, bytes], pdfs: list[tuple[Key, str, str, dt.datetime]]) -> None:
        self.db.blobs = {**blobs, **self.db.blobs}
        for key, sha256, name, at in pdfs:
            if key not in self.db.pdfs or at >= self.db.pdfs[key][2]:
                self.db.pdfs[key] = (sha256, name, at)

    async def payments(self, tenant_payment_ids: list[Key]) -> dict[Key, Payment]:
        return {k: self.db.payments[k] for k in tenant_payment_ids if k in self.db.payments}

    async def payments_on(self, tenant_invoice_ids: list[Key]) -> dict[Key, list[Payment]]:
        found: dict[Key, list[Payment]] = defaultdict(list)
        for (t, _), p in self.db.payments.items():
            if (t, p.invoice_id) in tenant_invoice_ids:
                found[(t, p.invoice_id)].append(p)
        return found

    async def save_payments(self, payments: list[tuple[str, Payment]]) -> None:
        self.db.payments.update({(t, p.payment_id): p for t, p in payments})

    async def invoices_paid_by(self, tenant_netsuite_payment_ids: list[Key]) -> set[Key]:
        return {(t, p.invoice_id) for (t, _), p in self.db.payments.items()
                if (t, p.netsuite_payment_id) in tenant_netsuite_payment_ids}

    async def deposits(self, keys: list[Key]) -> dict[Key, tuple[dt.datetime, list[str]]]:
        return {k: self.db.deposits[k] for k in keys if k in self.db.deposits}

    async def save_deposits(self, deposits: list[tuple[Key, dt.datetime, list[str]]]) -> None:
        self.db.deposits.update({key: (at, list(ids)) for key, at, ids in deposits})

    async def deposited(self, tenant_netsuite_payment_ids: list[Key]) -> dict[Key, dt.datetime]:
        found: dict[Key, dt.datetime] = {}
        for t, p in tenant_netsuite_payment_ids:
            times = [at for (dt_, _), (at, ids) in self.db.deposits.items() if dt_ == t and p in ids]
            if times:
                found[(t, p)] = min(times)
        return found

    async def invoice_keys(self, tenant_invoice_ids: list[Key]) -> dict[Key, Key]:
        return {(t, v[2]): (t, n) for (t, n), v in self.db.invoices.items() if (t, v[2]) in tenant_invoice_ids}

    async def save_invoices(self, records: list[InvoiceRecord]) -> None:
        self.db.invoices.update({(r.values[0], r.values[1]): r.values for r in records})

    async def customers(self, keys: list[Key]) -> dict[Key, Customer]:
        return {k: self.db.customers[k] for k in keys if k in self.db.customers}

    async def save_customers(self, customers: list[Customer]) -> None:
        self.db.customers.update({(c.tenant_id, c.netsuite_id): c for c in customers})


class FakeTransactions:
    """``store.Transactions`` on one ``FakeDatabase``: an exception inside a transaction undoes all it did."""

    def __init__(self, db: FakeDatabase | None = None):
        self.db = db or FakeDatabase()

    @contextlib.asynccontextmanager
    async def transaction(self) -> AsyncIterator[FakeStore]:
        if self.db.failures:
            raise self.db.failures.pop(0)
        before = copy.deepcopy({k: v for k, v in vars(self.db).items() if k != "failures"})
        try:
            yield FakeStore(self.db)
        except BaseException:
            vars(self.db).update(before)
            raise


def fake_deps(db: FakeDatabase | None = None, lanes: int = 2) -> Deps:
    """Deps whose store is in memory (``deps.store.db``); no read API (``pool`` is None)."""
    return Deps(store=FakeTransactions(db), lanes=lanes)


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
