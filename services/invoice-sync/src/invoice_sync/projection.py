"""From an invoice's stored inputs to the row to store and the events to publish (pure)."""
from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass, field

from pydantic import TypeAdapter

from contracts.envelope import Event
from contracts.invoices import PlatformInvoiceData, PlatformLine, PlatformPayment

from invoice_sync.invoices import Archive, compute
from invoice_sync.payments import Payment, payment_view
from invoice_sync.views import invoice_data, invoice_updated, revert_events


@dataclass(frozen=True)
class Pdf:
    sha256: str
    invoice_last_modified: dt.datetime


@dataclass(frozen=True)
class InvoiceInputs:
    tenant_id: str
    netsuite_id: str
    versions: list  # InvoiceChangedData, any order
    payments: list[Payment] = field(default_factory=list)
    archive: Archive | None = None
    pdf: Pdf | None = None
    deposited: dict[str, dt.datetime] = field(default_factory=dict)  # NetSuite payment id → deposit time
    invoice_id: str | None = None  # the platform id, when the caller has it at hand


@dataclass(frozen=True)
class InvoiceRow:
    """What is stored of a platform invoice that tells whether anything changed."""

    fingerprint: str
    version: int
    reverts: dict[str, bool]  # payment id -> resolved
    updated_at: dt.datetime


@dataclass(frozen=True)
class InvoiceRecord:
    """A platform invoice to store, in ``statements.INVOICE_FIELDS`` order."""

    values: tuple


@dataclass(frozen=True)
class Projection:
    record: InvoiceRecord
    events: list[Event]


LINES = TypeAdapter(list[PlatformLine])
PAYMENTS = TypeAdapter(list[PlatformPayment])


def header_json(data: PlatformInvoiceData) -> bytes:
    """``data`` as JSON without its lines, payments, version and time stamp."""
    return data.model_dump_json(exclude={"version", "updated_at", "lines", "payments"}).encode()


def fingerprint(header: bytes, lines: bytes, payments: bytes) -> str:
    """Identifies what the platform sees, regardless of version and time stamps (the parts already dumped)."""
    return hashlib.sha256(b"\x1f".join((header, lines, payments))).hexdigest()


def project(inputs: InvoiceInputs, current: InvoiceRow | None) -> Projection | None:
    """None when there is nothing to show yet or nothing changed."""
    state = compute(sorted(inputs.versions, key=lambda v: v.last_modified), inputs.payments, inputs.archive)
    if state is None:
        return None
    payments = sorted(inputs.payments, key=lambda p: (p.received_at or p.last_recorded_at, p.payment_id))
    views = [payment_view(p, p.netsuite_payment_id in inputs.deposited) for p in payments]
    updated_at = max([state.changed_at, *(p.last_recorded_at for p in payments),
                      *(inputs.deposited.get(p.netsuite_payment_id) or state.changed_at for p in payments),
                      inputs.pdf.invoice_last_modified if inputs.pdf else state.changed_at])
    # Built as the next version; the fingerprint leaves version and time out, so only an unchanged
    # invoice (the rarer case) needs a copy with its current version.
    version = current.version + 1 if current else 1
    data = invoice_data(inputs.tenant_id, state, views, inputs.pdf.sha256 if inputs.pdf else None, inputs.invoice_id,
                        version=version, updated_at=updated_at)
    header, lines, payments_json = header_json(data), LINES.dump_json(data.lines), PAYMENTS.dump_json(data.payments)
    content = fingerprint(header, lines, payments_json)
    reverts = {revert.payment_id: revert.resolved for revert in state.reverts}
    unchanged = current is not None and current.fingerprint == content
    if unchanged and current.reverts == reverts and current.updated_at == updated_at:
        return None
    if unchanged:
        version = current.version
        data = data.model_copy(update={"version": version})
    events: list[Event] = [] if unchanged else [invoice_updated(inputs.tenant_id, data, content)]
    events += revert_events(inputs.tenant_id, data, current.reverts if current else {}, state.reverts)
    record = InvoiceRecord((
        inputs.tenant_id, inputs.netsuite_id, data.id, data.number, data.customer_id, data.customer_netsuite_id,
        data.currency, data.subsidiary, data.memo, data.issued_on, data.due_on, data.total, data.amount_remaining,
        data.status, data.paid_via_platform, data.archived, lines.decode(), data.pdf_sha256,
        payments_json.decode(), json.dumps(reverts, sort_keys=True), content, version, updated_at,
    ))
    return Projection(record, events)
