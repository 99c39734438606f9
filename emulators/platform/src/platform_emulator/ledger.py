"""What the emulator published: payments, failures, payouts, and the totals a summary shows."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from contracts.envelope import Event
from contracts.payments import PaymentFailed, PaymentReceived
from contracts.payouts import DepositPosted

ZERO = Decimal("0.00")


@dataclass
class PaymentRecord:
    tenant_id: str
    payment_id: str
    invoice_id: str
    customer_id: str
    currency: str
    method: str
    amount: Decimal
    surcharge: Decimal
    received_at: dt.datetime
    failed: bool = False
    payout_id: str | None = None

    @property
    def gross(self) -> Decimal:
        return self.amount + self.surcharge

    @property
    def open(self) -> bool:
        """Neither failed nor paid out: it can still fail, or join a payout."""
        return not self.failed and self.payout_id is None


@dataclass
class Ledger:
    payments: dict[tuple[str, str], PaymentRecord] = field(default_factory=dict)
    unsettled: dict[tuple[str, str], PaymentRecord] = field(default_factory=dict)  # open ones, in receipt order
    live: dict[tuple[str, str], Decimal] = field(default_factory=dict)  # (tenant, invoice) → Σ live amounts
    payouts: list[DepositPosted] = field(default_factory=list)
    failures: list[PaymentFailed] = field(default_factory=list)
    chargebacks: dict[tuple[str, str], int] = field(default_factory=dict)  # (tenant, currency) → not yet charged

    def record(self, event: Event) -> None:
        if isinstance(event, PaymentReceived):
            self._received(event)
        elif isinstance(event, PaymentFailed):
            self._failed(event)
        elif isinstance(event, DepositPosted):
            self._paid_out(event)
        else:
            raise TypeError(f"not a platform event: {type(event).__name__}")

    def _received(self, event: PaymentReceived) -> None:
        data = event.data
        key = (event.tenant_id, data.payment_id)
        if key in self.payments:
            return
        self.payments[key] = self.unsettled[key] = PaymentRecord(
            event.tenant_id, data.payment_id, data.invoice_id, data.customer_id, data.currency, data.method,
            data.amount, data.surcharge, data.received_at)
        invoice = (event.tenant_id, data.invoice_id)
        self.live[invoice] = self.live.get(invoice, ZERO) + data.amount

    def _failed(self, event: PaymentFailed) -> None:
        payment = self.payments.get((event.tenant_id, event.data.payment_id))
        if payment is None or payment.failed:
            return
        payment.failed = True
        self.unsettled.pop((event.tenant_id, payment.payment_id), None)
        invoice = (event.tenant_id, payment.invoice_id)
        self.live[invoice] -= payment.amount
        self.failures.append(event)
        if payment.method == "card":
            group = (event.tenant_id, payment.currency)
            self.chargebacks[group] = self.chargebacks.get(group, 0) + 1

    def _paid_out(self, event: DepositPosted) -> None:
        for payment_id in event.data.payment_ids:
            payment = self.payments.get((event.tenant_id, payment_id))
            if payment is not None:
                payment.payout_id = event.data.payout_id
                self.unsettled.pop((event.tenant_id, payment_id), None)
        if any(fee.kind == "chargeback" for fee in event.data.fees):
            self.chargebacks.pop((event.tenant_id, event.data.currency), None)
        self.payouts.append(event)

    def payment(self, tenant_id: str, payment_id: str) -> PaymentRecord | None:
        return self.payments.get((tenant_id, payment_id))

    def unreflected(self, tenant_id: str, invoice_id: str, reflected: frozenset[str]) -> Decimal:
        """What our live payments took off an invoice that its latest published version does not show yet."""
        total = self.live.get((tenant_id, invoice_id), ZERO)
        for payment_id in reflected:
            payment = self.payments.get((tenant_id, payment_id))
            if payment is not None and not payment.failed and payment.invoice_id == invoice_id:
                total -= payment.amount
        return total

    def open_payments(self, tenant_id: str | None = None) -> list[PaymentRecord]:
        return [p for p in self.unsettled.values() if tenant_id is None or p.tenant_id == tenant_id]
