"""Contract events exactly as platform-events.md describes them, built with the contract models."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

from contracts.payments import PaymentFailed, PaymentFailedData, PaymentReceived, PaymentReceivedData
from contracts.payouts import DepositPosted, DepositPostedData, Fee

from platform_emulator.fees import PayoutTotals


def _envelope(event_type: str, event_id: str, tenant_id: str, at: dt.datetime) -> dict:
    return {"event_id": event_id, "event_type": event_type, "schema_version": 1, "tenant_id": tenant_id,
            "occurred_at": at}


def payment_received(event_id: str, tenant_id: str, at: dt.datetime, *, payment_id: str, invoice_id: str,
                     customer_id: str, amount: Decimal, currency: str, method: str,
                     surcharge: Decimal) -> PaymentReceived:
    data = PaymentReceivedData(payment_id=payment_id, invoice_id=invoice_id, customer_id=customer_id, amount=amount,
                               currency=currency, method=method, received_at=at, surcharge=surcharge)
    return PaymentReceived(**_envelope("PaymentReceived", event_id, tenant_id, at), data=data)


def payment_failed(event_id: str, tenant_id: str, at: dt.datetime, *, payment_id: str, invoice_id: str,
                   reason: str) -> PaymentFailed:
    data = PaymentFailedData(payment_id=payment_id, invoice_id=invoice_id, reason=reason, failed_at=at)
    return PaymentFailed(**_envelope("PaymentFailed", event_id, tenant_id, at), data=data)


def deposit_posted(event_id: str, tenant_id: str, at: dt.datetime, *, payout_id: str, currency: str,
                   arrival_date: dt.date, amounts: PayoutTotals, payment_ids: list[str],
                   fees: list[Fee]) -> DepositPosted:
    data = DepositPostedData(payout_id=payout_id, currency=currency, arrival_date=arrival_date,
                             gross_amount=amounts.gross_amount, fee_amount=amounts.fee_amount,
                             net_amount=amounts.net_amount, payment_ids=payment_ids, fees=fees)
    return DepositPosted(**_envelope("DepositPosted", event_id, tenant_id, at), data=data)
