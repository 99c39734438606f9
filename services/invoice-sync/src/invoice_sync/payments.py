"""Platform payments on NetSuite invoices: merging outcomes (any order) and how they show (R4, R10)."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from decimal import Decimal

from contracts.invoices import PlatformPayment
from contracts.payments import PaymentOutcomeData

#: Statuses of money the platform received that counts against the invoice balance. An
#: ``action_needed`` payment (overpayment, currency mismatch) waits for a person and does not.
COUNTING = frozenset({"waiting", "written", "deposited"})
WRITTEN = frozenset({"written", "deposited"})


@dataclass(frozen=True)
class Payment:
    payment_id: str
    invoice_id: str  # platform invoice id
    amount: Decimal  # what the platform received
    applied_amount: Decimal | None  # what was applied to the NetSuite invoice, once known
    status: str  # the latest outcome
    netsuite_payment_id: str | None
    received_at: dt.datetime | None  # first outcome that was not a failure
    written_at: dt.datetime | None  # first outcome saying the NetSuite customer payment exists
    failed_at: dt.datetime | None
    last_recorded_at: dt.datetime

    @property
    def applied(self) -> Decimal:
        """What this payment takes off the invoice balance."""
        return self.applied_amount if self.applied_amount is not None else self.amount

    @property
    def counts(self) -> bool:
        """Received on the platform and not parked for a person (failed ones counted until they failed)."""
        return self.status in COUNTING or self.failed_at is not None

    def written_by(self, at: dt.datetime) -> bool:
        return self.written_at is not None and self.written_at <= at


def _earliest(current: dt.datetime | None, candidate: dt.datetime | None) -> dt.datetime | None:
    if current is None or candidate is None:
        return current or candidate
    return min(current, candidate)


def merge_outcome(current: Payment | None, outcome: PaymentOutcomeData) -> Payment:
    """Fold one outcome into what is known of the payment; the result does not depend on arrival order.

    Times are the earliest seen, the status is the latest recorded, and a failure is final.
    """
    at = outcome.recorded_at
    failed = outcome.status == "failed"
    written = outcome.status in WRITTEN or outcome.netsuite_payment_id is not None
    incoming = Payment(
        payment_id=outcome.payment_id, invoice_id=outcome.invoice_id, amount=outcome.amount,
        applied_amount=outcome.applied_amount, status=outcome.status,
        netsuite_payment_id=outcome.netsuite_payment_id, received_at=None if failed else at,
        written_at=at if written else None, failed_at=at if failed else None, last_recorded_at=at,
    )
    if current is None:
        return incoming
    newer = at >= current.last_recorded_at
    latest, older = (incoming, current) if newer else (current, incoming)
    failed_at = _earliest(current.failed_at, incoming.failed_at)
    return replace(
        latest,
        applied_amount=latest.applied_amount if latest.applied_amount is not None else older.applied_amount,
        status="failed" if failed_at is not None else latest.status,
        netsuite_payment_id=latest.netsuite_payment_id or older.netsuite_payment_id,
        received_at=_earliest(current.received_at, incoming.received_at),
        written_at=_earliest(current.written_at, incoming.written_at),
        failed_at=failed_at,
        last_recorded_at=max(current.last_recorded_at, at),
    )


def payment_view(payment: Payment, deposited: bool) -> PlatformPayment:
    """R4: a payment whose NetSuite customer payment is in a NetSuite bank deposit is *deposited*."""
    if payment.failed_at is not None:
        status = "failed"
    elif deposited and payment.status in WRITTEN:
        status = "deposited"
    else:
        status = payment.status
    return PlatformPayment(payment_id=payment.payment_id, amount=payment.applied, status=status,
                           netsuite_id=payment.netsuite_payment_id)
