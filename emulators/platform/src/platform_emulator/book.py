"""The invoices suitebridge published on ``suitebridge.invoices.v1``: the latest version of each."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from decimal import Decimal

from contracts.invoices import PlatformInvoiceUpdated

PAYABLE_STATUSES = ("open", "partially_paid")


@dataclass(frozen=True)
class InvoiceView:
    tenant_id: str
    invoice_id: str
    number: str
    customer_id: str
    currency: str
    amount_remaining: Decimal
    status: str
    archived: bool
    paid_via_platform: bool
    version: int
    reflected: frozenset[str]  # platform payments already counted in amount_remaining

    @classmethod
    def of(cls, event: PlatformInvoiceUpdated) -> InvoiceView:
        data = event.data
        return cls(event.tenant_id, data.id, data.number, data.customer_id, data.currency, data.amount_remaining,
                   data.status, data.archived, data.paid_via_platform, data.version,
                   frozenset(p.payment_id for p in data.payments if p.status != "failed"))

    @property
    def payable(self) -> bool:
        return (self.status in PAYABLE_STATUSES and not self.archived and not self.paid_via_platform
                and self.amount_remaining > 0)


class InvoiceBook:
    def __init__(self) -> None:
        self._invoices: dict[tuple[str, str], InvoiceView] = {}

    def observe(self, event: PlatformInvoiceUpdated) -> bool:
        """Keep the newest version (a redelivered or older version changes nothing)."""
        key = (event.tenant_id, event.data.id)
        known = self._invoices.get(key)
        if known is not None and known.version > event.data.version:
            return False
        self._invoices[key] = InvoiceView.of(event)
        return True

    def get(self, tenant_id: str, invoice_id: str) -> InvoiceView | None:
        return self._invoices.get((tenant_id, invoice_id))

    def invoices(self, tenant_id: str | None = None) -> list[InvoiceView]:
        return [v for (t, _), v in self._invoices.items() if tenant_id is None or t == tenant_id]

    def payable(self, tenant_id: str | None = None) -> list[InvoiceView]:
        return [v for v in self.invoices(tenant_id) if v.payable]

    def tenants(self) -> list[str]:
        return sorted({t for t, _ in self._invoices})

    def usual_currency(self, tenant_id: str) -> str | None:
        counts = Counter(v.currency for v in self.invoices(tenant_id))
        return counts.most_common(1)[0][0] if counts else None

    def __len__(self) -> int:
        return len(self._invoices)
