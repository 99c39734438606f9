"""The platform's price list and the arithmetic of a payout (exact, in cents)."""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from contracts.money import quantize
from contracts.payouts import Fee

ZERO = Decimal("0.00")
FEE_KIND = {"card": "card", "ach": "ach", "check": "processing", "other": "processing"}
DESCRIPTIONS = {
    "card": "Card processing (2.9% + 0.30)",
    "ach": "ACH processing (0.8%, at most 5.00)",
    "processing": "Check and other processing (1%)",
    "chargeback": "Chargeback fees",
    "other": "Other platform fees",
}
KIND_ORDER = ("ach", "card", "processing", "chargeback", "other")


def payment_fee(method: str, gross: Decimal) -> Decimal:
    """The fee for one payment of ``gross`` (amount + surcharge); never more than ``gross``."""
    if method == "card":
        fee = quantize(gross * Decimal("0.029")) + Decimal("0.30")
    elif method == "ach":
        fee = min(quantize(gross * Decimal("0.008")), Decimal("5.00"))
    else:
        fee = quantize(gross * Decimal("0.01"))
    return min(fee, gross)


def surcharge(method: str, amount: Decimal, rate: Decimal) -> Decimal:
    return quantize(amount * rate) if method == "card" and rate > 0 else ZERO


def fee_lines(amounts: Iterable[tuple[str, Decimal]]) -> list[Fee]:
    """One fee line per kind, in a stable order, leaving out kinds that cost nothing."""
    totals: dict[str, Decimal] = {}
    for kind, amount in amounts:
        totals[kind] = totals.get(kind, ZERO) + amount
    return [Fee(kind=kind, amount=quantize(totals[kind]), description=DESCRIPTIONS[kind])
            for kind in KIND_ORDER if totals.get(kind, ZERO) > 0]


@dataclass(frozen=True)
class PayoutTotals:
    gross_amount: Decimal
    fee_amount: Decimal
    net_amount: Decimal


def totals(grosses: Iterable[Decimal], fees: Iterable[Fee]) -> PayoutTotals:
    """gross = Σ(amount + surcharge), fee = Σ fees, net = gross − fee; refuses a negative net."""
    gross = quantize(sum(grosses, ZERO))
    fee = quantize(sum((f.amount for f in fees), ZERO))
    if fee > gross:
        raise ValueError(f"fees {fee} exceed the payout's gross {gross}")
    return PayoutTotals(gross, fee, gross - fee)
