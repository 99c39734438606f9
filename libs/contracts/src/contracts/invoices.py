"""NetSuite invoice changes (connector → invoice-sync) and the platform invoice stream."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, ClassVar, Literal

from pydantic import Field, StringConstraints

from contracts import topics
from contracts.envelope import Data, Event, record_key
from contracts.money import Currency, SignedMoney


class InvoiceLine(Data):
    line: int
    item: str | None = None
    description: str | None = None
    quantity: Decimal = Decimal("1")
    rate: SignedMoney | None = None
    amount: SignedMoney


class InvoiceChangedData(Data):
    netsuite_id: str
    number: str
    customer_netsuite_id: str
    customer_name: str | None = None
    currency: Currency
    subsidiary: str | None = None
    issued_on: dt.date
    due_on: dt.date | None = None
    memo: str | None = None
    total: SignedMoney
    amount_remaining: SignedMoney
    amount_paid: SignedMoney = Decimal("0.00")
    netsuite_status: str  # "open" | "paid_in_full" | other NetSuite states
    external_id: str | None = None
    last_modified: dt.datetime  # NetSuite lastmodifieddate, second precision, UTC
    lines: list[InvoiceLine] = Field(default_factory=list)
    echo: bool = False  # the change came from suitebridge's own write
    id_scope: str | None = None  # the account's id scope after a tenant switched accounts (contracts.ids)


class InvoiceChanged(Event):
    """An invoice was created or changed in NetSuite (header and all its lines)."""

    TOPIC: ClassVar[str] = topics.NETSUITE_INVOICES
    event_type: Literal["InvoiceChanged"] = "InvoiceChanged"
    schema_version: Literal[1] = 1
    data: InvoiceChangedData

    def kafka_key(self) -> bytes:
        return record_key(self.tenant_id, self.data.netsuite_id)


class InvoiceArchivedData(Data):
    netsuite_id: str
    reason: Literal["deleted", "voided"]
    detected_at: dt.datetime
    id_scope: str | None = None  # the account's id scope after a tenant switched accounts (contracts.ids)


class InvoiceArchived(Event):
    """An invoice was deleted or voided in NetSuite (R6: archive, never delete)."""

    TOPIC: ClassVar[str] = topics.NETSUITE_INVOICES
    event_type: Literal["InvoiceArchived"] = "InvoiceArchived"
    schema_version: Literal[1] = 1
    data: InvoiceArchivedData

    def kafka_key(self) -> bytes:
        return record_key(self.tenant_id, self.data.netsuite_id)


class InvoicePdfFetchedData(Data):
    netsuite_id: str
    sha256: str
    content_type: Literal["application/pdf"] = "application/pdf"
    file_name: str
    size: int
    content_base64: str  # PDFs are small; the bytes travel with the event (see decisions)
    invoice_last_modified: dt.datetime
    id_scope: str | None = None  # the account's id scope after a tenant switched accounts (contracts.ids)


class InvoicePdfFetched(Event):
    """The bundle RESTlet rendered the invoice PDF (R5), bytes inline. Superseded by version 2 on
    ``netsuite.invoice-pdfs.v2`` (decision 0007); consumers still accept it."""

    TOPIC: ClassVar[str] = topics.NETSUITE_INVOICE_PDFS_V1
    event_type: Literal["InvoicePdfFetched"] = "InvoicePdfFetched"
    schema_version: Literal[1] = 1
    data: InvoicePdfFetchedData

    def kafka_key(self) -> bytes:
        return record_key(self.tenant_id, self.data.netsuite_id)


Sha256 = Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{64}$")]


class InvoicePdfReferenceData(Data):
    netsuite_id: str
    sha256: Sha256  # of the bytes at ``location``; the consumer checks it
    content_type: Literal["application/pdf"] = "application/pdf"
    file_name: str
    size: int = Field(ge=0)
    # Where the bytes are: a path on the producer's internal listener (the connector's), fetched
    # with the internal service token; the bytes there never change (content-addressed).
    location: str = Field(pattern=r"^/internal/")
    invoice_last_modified: dt.datetime
    id_scope: str | None = None  # the account's id scope after a tenant switched accounts (contracts.ids)


class InvoicePdfFetchedV2(Event):
    """The bundle RESTlet rendered the invoice PDF (R5); the connector keeps the bytes, stored once
    by SHA-256, and the event says where to fetch them (decision 0007)."""

    TOPIC: ClassVar[str] = topics.NETSUITE_INVOICE_PDFS
    event_type: Literal["InvoicePdfFetched"] = "InvoicePdfFetched"
    schema_version: Literal[2] = 2
    data: InvoicePdfReferenceData

    def kafka_key(self) -> bytes:
        return record_key(self.tenant_id, self.data.netsuite_id)


class PlatformPayment(Data):
    payment_id: str
    amount: SignedMoney
    status: Literal["waiting", "written", "deposited", "failed", "action_needed"]
    netsuite_id: str | None = None


class PlatformLine(Data):
    line: int
    item: str | None = None
    description: str | None = None
    quantity: str
    rate: SignedMoney | None = None
    amount: SignedMoney


class PlatformInvoiceData(Data):
    """The platform-side invoice, as the read API shows it."""

    id: str
    origin: Literal["netsuite"] = "netsuite"
    netsuite_id: str
    number: str
    customer_id: str
    customer_netsuite_id: str
    currency: Currency
    issued_on: dt.date
    due_on: dt.date | None = None
    total: SignedMoney
    amount_remaining: SignedMoney
    status: Literal["open", "partially_paid", "paid", "archived"]
    paid_via_platform: bool
    archived: bool
    lines: list[PlatformLine]
    pdf_sha256: str | None = None
    payments: list[PlatformPayment] = Field(default_factory=list)
    version: int
    updated_at: dt.datetime
    subsidiary: str | None = None
    memo: str | None = None
    # Which of the tenant's NetSuite accounts ``netsuite_id`` is in: None for the first one it
    # connected, else that account's id scope (a write-back must not write it to another account).
    netsuite_id_scope: str | None = None


class PlatformInvoiceUpdated(Event):
    """Platform-facing invoice state (published by invoice-sync)."""

    TOPIC: ClassVar[str] = topics.INVOICES
    event_type: Literal["PlatformInvoiceUpdated"] = "PlatformInvoiceUpdated"
    schema_version: Literal[1] = 1
    data: PlatformInvoiceData

    def kafka_key(self) -> bytes:
        return record_key(self.tenant_id, self.data.id)


NETSUITE_INVOICE_EVENTS = {"InvoiceChanged": InvoiceChanged, "InvoiceArchived": InvoiceArchived}
