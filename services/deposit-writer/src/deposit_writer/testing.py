"""Event builders for deposit-writer tests. The setup events come from ``sb_writeback.testing``."""
from __future__ import annotations

from datetime import date
from decimal import Decimal

from contracts.envelope import envelope_fields, utc_now
from contracts.payments import PaymentOutcomeRecorded
from contracts.payouts import DepositPosted
from sb_writeback.testing import envelope


def payment_outcome(tenant_id: str, payment_id: str, amount: str, *, status: str = "written",
                    origin: str = "netsuite", surcharge: str = "0.00", currency: str = "USD",
                    netsuite_payment_id: str | None = None, netsuite_deposit_id: str | None = None,
                    invoice_id: str = "inv") -> PaymentOutcomeRecorded:
    """What payment-reconciler publishes (deterministic id per payment and status, as it does)."""
    return PaymentOutcomeRecorded(**envelope_fields("PaymentOutcomeRecorded", tenant_id, payment_id, status),
                                  data={"payment_id": payment_id, "invoice_id": invoice_id, "status": status,
                                        "origin": origin, "amount": amount, "surcharge": surcharge,
                                        "currency": currency, "netsuite_payment_id": netsuite_payment_id,
                                        "netsuite_deposit_id": netsuite_deposit_id, "recorded_at": utc_now()})


def deposit_posted(tenant_id: str, payout_id: str, payment_ids: list[str], gross: str, fees: list[tuple[str, str]],
                   currency: str = "USD", arrival_date: str = "2026-11-27") -> DepositPosted:
    """A payout as the platform publishes it; ``fees`` are (kind, amount) pairs."""
    fee_total = sum((Decimal(amount) for _, amount in fees), Decimal("0.00"))
    return DepositPosted(**envelope("DepositPosted", tenant_id), data={
        "payout_id": payout_id, "currency": currency, "arrival_date": date.fromisoformat(arrival_date),
        "gross_amount": gross,
        "fee_amount": f"{fee_total:.2f}", "net_amount": f"{Decimal(gross) - fee_total:.2f}",
        "payment_ids": payment_ids, "fees": [{"kind": kind, "amount": amount} for kind, amount in fees]})
