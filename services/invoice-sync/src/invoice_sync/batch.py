"""The events of one batch, sorted by what they change, and the locks they need."""
from __future__ import annotations

from dataclasses import dataclass, field

from contracts.customers import CustomerChanged
from contracts.envelope import Event
from contracts.invoices import InvoiceArchived, InvoiceChanged, InvoicePdfFetched, InvoicePdfFetchedV2
from contracts.payments import PaymentOutcomeRecorded
from contracts.transactions import DepositChanged

from invoice_sync.ids import key_of, platform_invoice_id

Key = tuple[str, str]  # (tenant_id, netsuite_id) or (tenant_id, platform id)


@dataclass
class Batch:
    """The events of one batch, sorted by what they change."""

    invoices: list[InvoiceChanged | InvoiceArchived] = field(default_factory=list)
    pdfs: list[InvoicePdfFetched | InvoicePdfFetchedV2] = field(default_factory=list)
    outcomes: list[PaymentOutcomeRecorded] = field(default_factory=list)
    deposits: list[DepositChanged] = field(default_factory=list)
    customers: list[CustomerChanged] = field(default_factory=list)
    raw: dict[str, bytes] = field(default_factory=dict)  # event id -> the bytes it arrived as

    @staticmethod
    def relevant(event: Event) -> bool:
        """CustomerPaymentChanged / CreditMemoChanged change nothing here: NetSuite recomputes the
        invoice's amountRemaining and the connector sends the invoice again (R3, R13). Payments on
        platform-created invoices (R14) are not ours."""
        if isinstance(event, PaymentOutcomeRecorded):
            return event.data.origin == "netsuite"
        return isinstance(event, (InvoiceChanged, InvoiceArchived, InvoicePdfFetched, InvoicePdfFetchedV2, DepositChanged,
                                  CustomerChanged))

    @classmethod
    def of(cls, events: list[Event], raw: dict[str, bytes]) -> Batch:
        batch = cls(raw=raw)
        for event in events:
            if isinstance(event, (InvoiceChanged, InvoiceArchived)):
                batch.invoices.append(event)
            elif isinstance(event, (InvoicePdfFetched, InvoicePdfFetchedV2)):
                batch.pdfs.append(event)
            elif isinstance(event, PaymentOutcomeRecorded):
                batch.outcomes.append(event)
            elif isinstance(event, DepositChanged):
                batch.deposits.append(event)
            elif isinstance(event, CustomerChanged):
                batch.customers.append(event)
        return batch

    def invoice_keys(self) -> set[Key]:
        return {key_of(e) for e in [*self.invoices, *self.pdfs]}

    def paid_invoices(self) -> set[Key]:
        """(tenant, platform invoice id) of the invoices platform payment outcomes are about."""
        return {(e.tenant_id, e.data.invoice_id) for e in self.outcomes}

    def payment_locks(self) -> list[str]:
        return [f"payments:{e.tenant_id}" for e in [*self.outcomes, *self.deposits]]

    def record_locks(self, paid: set[Key]) -> list[str]:
        invoices = {(t, platform_invoice_id(t, n)) for t, n in self.invoice_keys()} | paid
        return [f"invoice:{t}:{i}" for t, i in invoices] + [f"customer:{t}:{n}" for t, n in map(key_of, self.customers)]
