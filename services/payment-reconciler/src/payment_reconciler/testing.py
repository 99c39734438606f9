"""Fakes and event builders for payment-reconciler tests (fakes of our own boundary only).

The setup events (``connection_changed``, ``account_setup_saved``) come from ``sb_writeback.testing``.
"""
from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

from contracts.envelope import utc_now
from contracts.invoices import PlatformInvoiceUpdated
from contracts.payments import PaymentFailed, PaymentReceived
from sb_writeback.testing import envelope as _envelope


class AlwaysFresh:
    """An invoice map that is always complete (unit tests; no broker)."""

    async def caught_up(self) -> None:
        return None


def payment_received(tenant_id: str, payment_id: str, invoice_id: str, amount: str, currency: str = "USD",
                     surcharge: str = "0.00", received_at: datetime | None = None,
                     method: str = "ach") -> PaymentReceived:
    return PaymentReceived(**_envelope("PaymentReceived", tenant_id), data={
        "payment_id": payment_id, "invoice_id": invoice_id, "customer_id": "cus_1", "amount": amount,
        "currency": currency, "method": method, "received_at": received_at or utc_now(), "surcharge": surcharge})


def payment_failed(tenant_id: str, payment_id: str, invoice_id: str, reason: str = "ach_return_R01") -> PaymentFailed:
    return PaymentFailed(**_envelope("PaymentFailed", tenant_id), data={
        "payment_id": payment_id, "invoice_id": invoice_id, "reason": reason, "failed_at": utc_now()})


def invoice_updated(tenant_id: str, invoice_id: str, netsuite_id: str, customer_netsuite_id: str, total: str,
                    remaining: str, currency: str = "USD", number: str = "INV1", version: int = 1,
                    archived: bool = False) -> PlatformInvoiceUpdated:
    paid = Decimal(remaining) == 0
    return PlatformInvoiceUpdated(**_envelope("PlatformInvoiceUpdated", tenant_id), data={
        "id": invoice_id, "netsuite_id": netsuite_id, "number": number, "customer_id": f"cust-{customer_netsuite_id}",
        "customer_netsuite_id": customer_netsuite_id, "currency": currency, "issued_on": date(2026, 11, 1),
        "total": total, "amount_remaining": remaining,
        "status": "archived" if archived else ("paid" if paid else "open"),
        "paid_via_platform": False, "archived": archived, "lines": [], "version": version,
        "updated_at": datetime.now(UTC)})
