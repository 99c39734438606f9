"""The platform invoice as a pure function of its inputs (R1, R3, R6, R10, R11, R12, R13).

Inputs: every NetSuite version of the invoice, the platform payments on it, and whether NetSuite
deleted or voided it. They are replayed in time order (NetSuite ``lastModifiedDate`` for versions,
``recorded_at`` for payment outcomes, detection time for archives), so the result depends only on
what arrived, never on the order it arrived in: a late or replayed event cannot move the invoice
backwards, and a rebuild from offset 0 gives the same state.

- R1/R12: the platform shows the newest NetSuite version (header, lines, total, due date).
- R3/R13: the balance is NetSuite's ``amountRemaining``, less platform payments NetSuite does
  not know yet (written back later), plus failed platform payments NetSuite still counts (R10).
- R11: when a platform payment brings the balance to zero (or NetSuite shows it paid within
  ``CLOCK_TOLERANCE`` after one) the invoice is paid via the platform and frozen: later NetSuite
  versions are not shown.
- R10: a failed payment unfreezes it and adds its amount back. If it had been written to
  NetSuite, a revert is pending until a NetSuite version shows more outstanding than the lowest
  balance NetSuite showed since the failure; until then NetSuite's stale "paid" does not count.
- R6: deleted or voided → archived for good (never deleted, shown as it was; later versions ignored).
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from contracts.invoices import InvoiceChangedData

from invoice_sync.payments import Payment

ZERO = Decimal("0.00")
VERSION, RECEIVED, WRITTEN, FAILED, ARCHIVED = range(5)  # order of steps at the same instant
VOIDED = frozenset({"voided", "void"})
#: How far NetSuite's clock may run ahead of ours: a version this soon after a platform payment
#: may be NetSuite showing that payment, so it can complete "paid via the platform" (R11).
CLOCK_TOLERANCE = dt.timedelta(seconds=5)


@dataclass(frozen=True)
class Archive:
    reason: str  # "deleted" | "voided"
    detected_at: dt.datetime


@dataclass(frozen=True)
class Revert:
    """R10: NetSuite still counts a failed platform payment; the partner must revert it there."""

    payment_id: str
    amount: Decimal
    resolved: bool


@dataclass(frozen=True)
class InvoiceState:
    shown: InvoiceChangedData  # the NetSuite version the platform shows
    amount_remaining: Decimal
    status: str  # open | partially_paid | paid | archived
    paid_via_platform: bool
    archived: bool
    reverts: tuple[Revert, ...]
    changed_at: dt.datetime


def status_for(amount_remaining: Decimal, total: Decimal) -> str:
    if amount_remaining <= ZERO:
        return "paid"
    return "partially_paid" if amount_remaining < total else "open"


class _PendingRevert:
    def __init__(self, amount: Decimal, lowest: Decimal | None):
        self.amount = amount
        self.lowest = lowest  # the lowest balance NetSuite showed since the failure
        self.resolved = False

    def observe(self, amount_remaining: Decimal) -> None:
        if self.resolved:
            return
        if self.lowest is not None and amount_remaining > self.lowest:
            self.resolved = True
        else:
            self.lowest = amount_remaining if self.lowest is None else min(self.lowest, amount_remaining)


class _Fold:
    def __init__(self) -> None:
        self.latest: InvoiceChangedData | None = None
        self.shown: InvoiceChangedData | None = None
        self.frozen = False
        self.archived = False
        self.counted: set[str] = set()
        self.last_platform_payment: dt.datetime | None = None
        self.unwritten: dict[str, Decimal] = {}
        self.reverts: dict[str, _PendingRevert] = {}
        self.changed_at: dt.datetime | None = None

    def balance(self) -> Decimal:
        if self.latest is None:
            return ZERO
        pending = sum((r.amount for r in self.reverts.values() if not r.resolved), ZERO)
        owed = self.latest.amount_remaining - sum(self.unwritten.values(), ZERO) + pending
        return min(max(owed, ZERO), max(self.latest.total, ZERO))

    def signature(self) -> tuple:
        pending = tuple(sorted(p for p, r in self.reverts.items() if not r.resolved))
        return (id(self.shown), self.frozen, self.archived, self.shown_balance(), pending)

    def shown_balance(self) -> Decimal:
        return ZERO if self.frozen else self.balance()

    def version(self, version: InvoiceChangedData) -> None:
        if self.archived:
            return  # R6: archived for good, shown as it was
        if version.netsuite_status.lower() in VOIDED:
            self.archived = True  # even when the connector only sent the voided version
            return
        self.latest = version
        if not self.frozen:
            self.shown = version
        for revert in self.reverts.values():
            revert.observe(version.amount_remaining)
        recent = self.last_platform_payment
        if self.counted and recent is not None and version.last_modified - recent <= CLOCK_TOLERANCE:
            self._freeze_if_paid()  # NetSuite's clock a little ahead: its version of our write sorts after it

    def received(self, payment: Payment, at: dt.datetime) -> None:
        self.counted.add(payment.payment_id)
        self.last_platform_payment = at
        if not payment.written_by(at):
            self.unwritten[payment.payment_id] = payment.applied
        self._freeze_if_paid()

    def written(self, payment: Payment, at: dt.datetime) -> None:
        self.unwritten.pop(payment.payment_id, None)
        if payment.payment_id in self.counted:
            self.last_platform_payment = at
            self._freeze_if_paid()

    def failed(self, payment: Payment, at: dt.datetime) -> None:
        was_counted = payment.payment_id in self.counted
        self.counted.discard(payment.payment_id)
        self.unwritten.pop(payment.payment_id, None)
        in_netsuite = payment.written_by(at)
        if in_netsuite:
            lowest = self.latest.amount_remaining if self.latest is not None else None
            self.reverts[payment.payment_id] = _PendingRevert(payment.applied, lowest)
        if self.frozen and (was_counted or in_netsuite):
            self.frozen = False
            if not self.archived:
                self.shown = self.latest

    def _freeze_if_paid(self) -> None:
        if not self.frozen and self.latest is not None and self.balance() <= ZERO:
            self.frozen = True


def _steps(versions: list[InvoiceChangedData], payments: list[Payment], archive: Archive | None) -> list[tuple]:
    steps = [(v.last_modified, VERSION, "", v) for v in versions]
    for payment in payments:
        key = payment.payment_id
        if payment.counts and payment.received_at is not None:
            steps.append((payment.received_at, RECEIVED, key, payment))
        if payment.written_at is not None:
            steps.append((payment.written_at, WRITTEN, key, payment))
        if payment.failed_at is not None:
            steps.append((payment.failed_at, FAILED, key, payment))
    if archive is not None:
        steps.append((archive.detected_at, ARCHIVED, "", archive))
    return sorted(steps, key=lambda step: step[:3])


def _apply(fold: _Fold, at: dt.datetime, kind: int, subject) -> None:
    if kind == VERSION:
        fold.version(subject)
    elif kind == RECEIVED:
        fold.received(subject, at)
    elif kind == WRITTEN:
        fold.written(subject, at)
    elif kind == FAILED:
        fold.failed(subject, at)
    else:
        fold.archived = True


def compute(versions: list[InvoiceChangedData], payments: list[Payment], archive: Archive | None) -> InvoiceState | None:
    """The platform invoice; None while NetSuite has not shown a single (non-voided) version of it."""
    if not versions:
        return None
    fold = _Fold()
    for at, kind, _, subject in _steps(versions, payments, archive):
        if kind != VERSION:
            _apply(fold, at, kind, subject)
            fold.changed_at = at
            continue
        before = fold.signature()
        fold.version(subject)
        if fold.signature() != before:
            fold.changed_at = at
    if fold.shown is None:  # only a voided version: nothing was ever shown
        return None
    return _state(fold)


def _state(fold: _Fold) -> InvoiceState:
    shown = fold.shown
    amount_remaining = fold.shown_balance()
    if fold.archived:
        status = "archived"
    else:
        status = "paid" if fold.frozen else status_for(amount_remaining, shown.total)
    reverts = tuple(Revert(p, r.amount, r.resolved) for p, r in sorted(fold.reverts.items()))
    return InvoiceState(shown=shown, amount_remaining=amount_remaining, status=status,
                        paid_via_platform=fold.frozen, archived=fold.archived, reverts=reverts,
                        changed_at=fold.changed_at)
