"""R15 without I/O: what a payout's bank deposit holds, whether it balances, or what it waits for.

A payout's platform-origin payments are already in NetSuite as stand-alone deposits (R14, amount
plus surcharge each). The payout deposit holds the rest: a ``payment`` line per customer payment
suitebridge wrote (its full amount, applied or not), an ``other`` line per surcharge of those
payments to platform income, and a ``cashBack`` line per fee to the fee account. It is posted only
when its total plus those stand-alone deposits equals the payout's ``net_amount``.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from sb_writeback.setup import TenantSetup
from sb_writeback.work import WorkState

ZERO = Decimal("0.00")


@dataclass(frozen=True)
class KnownPayment:
    """A platform payment as payment-reconciler's outcomes describe it."""

    payment_id: str
    status: str
    origin: str
    amount: Decimal
    surcharge: Decimal
    currency: str
    netsuite_payment_id: str | None = None
    netsuite_deposit_id: str | None = None
    id_scope: str | None = None  # of the NetSuite account it was written to (None: the tenant's first)

    @property
    def in_netsuite(self) -> bool:
        return bool(self.netsuite_payment_id or self.netsuite_deposit_id)


@dataclass(frozen=True)
class FeeLine:
    kind: str
    amount: Decimal
    description: str | None = None


@dataclass(frozen=True)
class Payout:
    tenant_id: str
    payout_id: str
    state: WorkState
    currency: str
    arrival_date: dt.date
    gross_amount: Decimal
    fee_amount: Decimal
    net_amount: Decimal
    payment_ids: tuple[str, ...]
    fees: tuple[FeeLine, ...]

    @property
    def fee_lines(self) -> tuple[FeeLine, ...]:
        """The fees to book: as itemised, or one line for the total when the payout has no items."""
        if self.fees or self.fee_amount == 0:
            return tuple(fee for fee in self.fees if fee.amount > 0)
        return (FeeLine("other", self.fee_amount, "Platform fees"),)


@dataclass(frozen=True)
class Wait:
    missing_payments: tuple[str, ...] = ()
    missing_choices: tuple[str, ...] = ()
    bank_currency: str | None = None  # the chosen bank account's currency, when it is not the payout's


@dataclass(frozen=True)
class Imbalance:
    difference: Decimal  # net_amount - (this deposit's total + the stand-alone deposits)
    reason: str


@dataclass(frozen=True)
class Post:
    payments: tuple[KnownPayment, ...]  # customer payments to move out of Undeposited Funds
    total: Decimal


@dataclass(frozen=True)
class NothingToPost:
    """Every payment is already in a stand-alone deposit and there are no fees: nothing left to book."""


Plan = Wait | Imbalance | Post | NothingToPost


def plan(payout: Payout, known: dict[str, KnownPayment], setup: TenantSetup) -> Plan:
    missing = tuple(pid for pid in payout.payment_ids if pid not in known
                    or not known[pid].in_netsuite and known[pid].status != WorkState.FAILED)
    if missing:
        return Wait(missing_payments=missing)
    listed = [known[pid] for pid in payout.payment_ids]
    elsewhere = [p.payment_id for p in listed if p.in_netsuite and p.id_scope != setup.id_scope]
    if elsewhere:  # written to another NetSuite account than the connected one (a switch since)
        return Imbalance(payout.net_amount, "payments recorded in a NetSuite account this tenant is not connected "
                                            f"to now: {', '.join(elsewhere)}")
    imbalance = _imbalance(payout, listed)
    if imbalance is not None:
        return imbalance
    customer_payments = tuple(p for p in listed if p.netsuite_payment_id)
    if not customer_payments:
        return NothingToPost()
    needed = ["deposit_bank"] + (["fee_expense"] if payout.fee_lines else [])
    needed += ["platform_income"] if any(p.surcharge > 0 for p in customer_payments) else []
    missing_choices = tuple(setup.missing(needed))
    if missing_choices:
        return Wait(missing_choices=missing_choices)
    if setup.deposit_bank_currency and setup.deposit_bank_currency != payout.currency:
        return Wait(bank_currency=setup.deposit_bank_currency)  # NetSuite would book it in the wrong currency
    return Post(customer_payments, deposit_total(payout, customer_payments))


def deposit_total(payout: Payout, customer_payments: tuple[KnownPayment, ...]) -> Decimal:
    """Σ payment lines + Σ surcharge lines − Σ fees (NetSuite: Σpayment + Σother − ΣcashBack)."""
    if not customer_payments:
        return ZERO  # a deposit needs a payment or an `other` line: nothing can be posted
    return sum((p.amount + p.surcharge for p in customer_payments), ZERO) - payout.fee_amount


def _imbalance(payout: Payout, listed: list[KnownPayment]) -> Imbalance | None:
    never_written = [p.payment_id for p in listed if not p.in_netsuite]
    foreign = [p.payment_id for p in listed if p.currency != payout.currency]
    standalone = sum((p.amount + p.surcharge for p in listed if p.netsuite_deposit_id), ZERO)
    customer_payments = tuple(p for p in listed if p.netsuite_payment_id)
    difference = payout.net_amount - (deposit_total(payout, customer_payments) + standalone)
    if never_written:
        return Imbalance(difference, f"payments that failed before reaching NetSuite: {', '.join(never_written)}")
    if foreign:
        return Imbalance(difference, f"payments in another currency than the payout's {payout.currency}: "
                                     f"{', '.join(foreign)}")
    if difference != 0:
        reason = ("its fees cannot be booked: all its payments are stand-alone deposits"
                  if not customer_payments and payout.fee_amount else "the amounts differ")
        return Imbalance(difference, reason)
    return None


def deposit_body(payout: Payout, post: Post, setup: TenantSetup) -> dict:
    memo = f"suitebridge: platform payout {payout.payout_id}"
    body: dict = {"account": {"id": setup.account("deposit_bank")}, "tranDate": payout.arrival_date.isoformat(),
                  "memo": memo,
                  "payment": {"items": [{"id": p.netsuite_payment_id, "deposit": True} for p in post.payments]}}
    surcharges = [{"account": {"id": setup.account("platform_income")}, "amount": p.surcharge,
                   "memo": f"Surcharge on platform payment {p.payment_id}"} for p in post.payments if p.surcharge > 0]
    if surcharges:
        body["other"] = {"items": surcharges}
    fees = [{"account": {"id": setup.account("fee_expense")}, "amount": fee.amount,
             "memo": f"{fee.kind} fee" + (f": {fee.description}" if fee.description else "")}
            for fee in payout.fee_lines]
    if fees:
        body["cashBack"] = {"items": fees}
    return body
