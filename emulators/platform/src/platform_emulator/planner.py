"""Decides the next event from the invoice book and the ledger (pure: no I/O, the clock is passed in)."""
from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal

from contracts.money import CENT, quantize
from contracts.payments import PaymentFailed, PaymentReceived
from contracts.payouts import DepositPosted, Fee

from platform_emulator import events, fees
from platform_emulator.book import InvoiceBook, InvoiceView
from platform_emulator.choices import Choices
from platform_emulator.config import EmulatorConfig
from platform_emulator.ledger import ZERO, Ledger, PaymentRecord


class Planner:
    def __init__(self, config: EmulatorConfig, book: InvoiceBook, ledger: Ledger, choices: Choices):
        self.config, self.book, self.ledger, self.choices = config, book, ledger, choices

    def balance(self, view: InvoiceView) -> Decimal:
        """The invoice's balance minus our payments its latest published version does not count yet."""
        if not view.payable:
            return ZERO
        return max(view.amount_remaining - self.ledger.unreflected(view.tenant_id, view.invoice_id, view.reflected),
                   ZERO)

    def tenants(self) -> list[str]:
        return sorted(set(self.config.tenants) | {t for t in self.book.tenants() if self.config.wants(t)})

    def next_payment_event(self, now: dt.datetime) -> PaymentReceived | PaymentFailed | None:
        """A failure of an earlier payment, a payment for a platform invoice (R14), or one for a synced
        invoice; None while there is nothing to pay."""
        failable = [p for p in self.ledger.open_payments() if self.config.wants(p.tenant_id)]
        if failable and self.choices.roll(self.config.failure_ratio):
            return self.fail(self.choices.pick(failable), now)
        tenants = self.tenants()
        if tenants and self.choices.roll(self.config.platform_invoice_ratio):
            return self.pay_platform_invoice(self.choices.pick(tenants), now)
        payable = sorted((v for v in self.book.payable() if self.config.wants(v.tenant_id) and self.balance(v) >= CENT),
                         key=lambda v: (v.tenant_id, v.invoice_id))  # arrival order varies across partitions
        if not payable:
            return None
        view = self.choices.pick(payable)
        return self.pay(view, now, amount=self.choices.amount(self.balance(view)), overpay_ok=True)

    def pay(self, view: InvoiceView, now: dt.datetime, *, amount: Decimal | None = None, method: str | None = None,
            surcharge: Decimal | None = None, overpay_ok: bool = False) -> PaymentReceived:
        balance = self.balance(view)
        amount = balance if amount is None else quantize(Decimal(amount))
        too_much = amount > balance and not (overpay_ok and self.config.overpayment_ratio > 0)
        if amount < CENT or too_much:
            raise ValueError(f"cannot pay {amount} on invoice {view.invoice_id} with a balance of {balance}")
        return self._payment(view.tenant_id, view.invoice_id, view.customer_id, view.currency, amount, now,
                             method, surcharge)

    def pay_platform_invoice(self, tenant_id: str, now: dt.datetime, *, invoice_id: str | None = None,
                             amount: Decimal | None = None, currency: str | None = None,
                             method: str | None = None, surcharge: Decimal | None = None) -> PaymentReceived:
        """A payment for an invoice created on the platform (R14): an id suitebridge never published."""
        currency = currency or self.config.platform_invoice_currency or self.book.usual_currency(tenant_id) or "USD"
        amount = self.choices.platform_invoice_amount() if amount is None else quantize(Decimal(amount))
        if amount < CENT:
            raise ValueError("a payment is at least 0.01")
        return self._payment(tenant_id, invoice_id or self.choices.platform_invoice_id(),
                             self.choices.platform_customer_id(), currency, amount, now, method, surcharge)

    def _payment(self, tenant_id: str, invoice_id: str, customer_id: str, currency: str, amount: Decimal,
                 now: dt.datetime, method: str | None, surcharge: Decimal | None) -> PaymentReceived:
        method = method or self.choices.method()
        if surcharge is None:
            surcharge = fees.surcharge(method, amount, self.config.card_surcharge_rate)
        return events.payment_received(
            self.choices.event_id(), tenant_id, now, payment_id=self.choices.payment_id(), invoice_id=invoice_id,
            customer_id=customer_id, amount=amount, currency=currency, method=method, surcharge=quantize(surcharge))

    def fail(self, payment: PaymentRecord, now: dt.datetime, reason: str | None = None) -> PaymentFailed:
        if payment.failed:
            raise ValueError(f"payment {payment.payment_id} already failed")
        return events.payment_failed(self.choices.event_id(), payment.tenant_id, now, payment_id=payment.payment_id,
                                     invoice_id=payment.invoice_id, reason=reason or self.choices.reason(payment.method))

    def due_payouts(self, now: dt.datetime) -> list[DepositPosted]:
        """One payout per tenant and currency for the open payments old enough, in batches."""
        oldest = now - dt.timedelta(seconds=self.config.payout_min_age_s)
        groups: dict[tuple[str, str], list[PaymentRecord]] = {}
        for payment in self.ledger.open_payments():
            if self.config.wants(payment.tenant_id) and payment.received_at <= oldest:
                groups.setdefault((payment.tenant_id, payment.currency), []).append(payment)
        size = self.config.max_payout_payments
        return [self.payout(group[start:start + size], now, chargebacks=start == 0)
                for group in groups.values() for start in range(0, len(group), size)]

    def payout(self, payments: Sequence[PaymentRecord], now: dt.datetime, fee_lines: Sequence[Fee] | None = None,
               chargebacks: bool = True) -> DepositPosted:
        tenant_id, currency = self._one_group(payments)
        grosses = [p.gross for p in payments]
        if fee_lines is None:
            charges = [(fees.FEE_KIND[p.method], fees.payment_fee(p.method, p.gross)) for p in payments]
            pending = self.ledger.chargebacks.get((tenant_id, currency), 0) if chargebacks else 0
            extra = self.config.chargeback_fee * pending
            if pending and extra > 0 and sum(grosses) - sum(c for _, c in charges) >= extra:
                charges.append(("chargeback", extra))  # a chargeback fee that does not fit waits
            fee_lines = fees.fee_lines(charges)
        amounts = fees.totals(grosses, fee_lines)
        arrival = now.date() + dt.timedelta(days=self.config.arrival_delay_days)
        return events.deposit_posted(self.choices.event_id(), tenant_id, now, payout_id=self.choices.payout_id(),
                                     currency=currency, arrival_date=arrival, amounts=amounts,
                                     payment_ids=[p.payment_id for p in payments], fees=list(fee_lines))

    @staticmethod
    def _one_group(payments: Sequence[PaymentRecord]) -> tuple[str, str]:
        if not payments:
            raise ValueError("a payout has at least one payment")
        groups = {(p.tenant_id, p.currency) for p in payments}
        if len(groups) > 1:
            raise ValueError(f"a payout is for one tenant and one currency, not {sorted(groups)}")
        if any(not p.open for p in payments):
            raise ValueError("a payout cannot hold a failed or already paid-out payment")
        return groups.pop()
