"""Pure rules of the emulated platform: no broker, a fixed clock."""
import datetime as dt
import json
from decimal import Decimal

import jsonschema
import pytest
from contracts.invoices import PlatformPayment
from contracts.payments import PaymentFailed, PaymentReceived
from contracts.payouts import DepositPosted
from contracts.registry import decode

from platform_emulator.book import InvoiceBook
from platform_emulator.choices import Choices
from platform_emulator.config import EmulatorConfig
from platform_emulator.ledger import Ledger
from platform_emulator.planner import Planner
from platform_emulator.testing import invoice_updated, schema

NOW = dt.datetime(2026, 11, 26, 10, 15, tzinfo=dt.UTC)
TENANT = "msp-unit"
BALANCES = {"101": "250.00", "102": "1200.50", "103": "0.05", "104": "99.99", "105": "3000.00"}


def planner(**options) -> Planner:
    config = EmulatorConfig(**{"seed": 7, "tenants": (TENANT,), **options})
    book = InvoiceBook()
    for netsuite_id, remaining in BALANCES.items():
        book.observe(invoice_updated(TENANT, netsuite_id, total="3000.00", remaining=remaining))
    return Planner(config, book, Ledger(), Choices(config))


def simulate(plan: Planner, steps: int, payout_every: int = 10) -> list:
    published = []
    for step in range(steps):
        now = NOW + dt.timedelta(seconds=step)
        event = plan.next_payment_event(now)
        if event is not None:
            plan.ledger.record(event)
            published.append(event)
        if step % payout_every == payout_every - 1:
            for payout in plan.due_payouts(now):
                plan.ledger.record(payout)
                published.append(payout)
    return published


def test_the_same_seed_gives_the_same_events():
    first = [e.to_bytes() for e in simulate(planner(failure_ratio=0.2, platform_invoice_ratio=0.2), 60)]
    second = [e.to_bytes() for e in simulate(planner(failure_ratio=0.2, platform_invoice_ratio=0.2), 60)]
    other = [e.to_bytes() for e in simulate(planner(seed=8, failure_ratio=0.2, platform_invoice_ratio=0.2), 60)]
    assert first == second
    assert first != other


def test_payments_never_take_more_than_an_invoice_balance():
    plan = planner(partial_ratio=0.6, failure_ratio=0.2, platform_invoice_ratio=0.1)
    events = simulate(plan, 300)
    paid: dict[str, Decimal] = {}
    for event in events:
        if isinstance(event, PaymentReceived):
            assert event.data.amount >= Decimal("0.01") and event.data.amount == event.data.amount.quantize(Decimal("0.01"))
            paid[event.data.invoice_id] = paid.get(event.data.invoice_id, Decimal(0)) + event.data.amount
        elif isinstance(event, PaymentFailed):
            paid[event.data.invoice_id] -= plan.ledger.payment(TENANT, event.data.payment_id).amount
    for view in plan.book.invoices(TENANT):
        assert paid.get(view.invoice_id, Decimal(0)) <= view.amount_remaining
    assert sum(1 for e in events if isinstance(e, PaymentReceived) and plan.book.get(TENANT, e.data.invoice_id)) >= 5


def test_payments_the_invoice_stream_already_counts_are_not_taken_off_twice():
    plan = planner()
    view = plan.book.get(TENANT, invoice_updated(TENANT, "101").data.id)
    payment = plan.pay(view, NOW, amount=Decimal("100.00"), method="ach")
    plan.ledger.record(payment)
    assert plan.balance(plan.book.get(TENANT, view.invoice_id)) == Decimal("150.00")
    shown = PlatformPayment(payment_id=payment.data.payment_id, amount="100.00", status="waiting")
    plan.book.observe(invoice_updated(TENANT, "101", total="3000.00", remaining="150.00", version=2, payments=[shown]))
    assert plan.balance(plan.book.get(TENANT, view.invoice_id)) == Decimal("150.00")


def test_paying_more_than_the_balance_is_refused_unless_configured():
    plan = planner()
    view = plan.book.get(TENANT, invoice_updated(TENANT, "103").data.id)
    with pytest.raises(ValueError):
        plan.pay(view, NOW, amount=Decimal("0.06"))
    generous = planner(overpayment_ratio=1.0)
    event = generous.next_payment_event(NOW)
    assert event.data.amount > generous.balance(generous.book.get(TENANT, event.data.invoice_id))


def test_paid_archived_and_frozen_invoices_are_not_paid():
    config = EmulatorConfig(seed=3, tenants=(TENANT,), platform_invoice_ratio=0)
    book = InvoiceBook()
    book.observe(invoice_updated(TENANT, "1", remaining="0.00"))
    book.observe(invoice_updated(TENANT, "2", archived=True))
    book.observe(invoice_updated(TENANT, "3", total="10.00", remaining="0.00", status="paid", paid_via_platform=True))
    book.observe(invoice_updated("someone-else", "4"))
    assert Planner(config, book, Ledger(), Choices(config)).next_payment_event(NOW) is None


def test_an_older_invoice_version_does_not_replace_a_newer_one():
    book = InvoiceBook()
    assert book.observe(invoice_updated(TENANT, "9", remaining="10.00", total="250.00", version=3))
    assert not book.observe(invoice_updated(TENANT, "9", version=2))
    assert book.get(TENANT, invoice_updated(TENANT, "9").data.id).amount_remaining == Decimal("10.00")


def test_failures_only_name_earlier_payments_that_are_neither_failed_nor_paid_out():
    events = simulate(planner(failure_ratio=0.3), 200, payout_every=15)
    state: dict[str, str] = {}
    for event in events:
        if isinstance(event, PaymentReceived):
            state[event.data.payment_id] = "open"
        elif isinstance(event, PaymentFailed):
            assert state[event.data.payment_id] == "open"
            state[event.data.payment_id] = "failed"
        else:
            for payment_id in event.data.payment_ids:
                assert state.pop(payment_id) == "open"
    assert any(isinstance(e, PaymentFailed) for e in events)


def test_payout_amounts_add_up_exactly():
    plan = planner(failure_ratio=0.2, platform_invoice_ratio=0.2, partial_ratio=0.7)
    events = simulate(plan, 150, payout_every=25)
    payouts = [e for e in events if isinstance(e, DepositPosted)]
    assert payouts
    for payout in payouts:
        data = payout.data
        payments = [plan.ledger.payment(TENANT, p) for p in data.payment_ids]
        assert data.gross_amount == sum(p.amount + p.surcharge for p in payments)
        assert data.fee_amount == sum(f.amount for f in data.fees)
        assert data.net_amount == data.gross_amount - data.fee_amount
        assert all(not p.failed and p.currency == data.currency for p in payments)


def test_card_payments_carry_a_surcharge_and_a_chargeback_costs_a_fee_in_the_next_payout():
    plan = planner()
    view = plan.book.get(TENANT, invoice_updated(TENANT, "105").data.id)
    card = plan.pay(view, NOW, amount=Decimal("1000.00"), method="card")
    plan.ledger.record(card)
    assert card.data.surcharge == Decimal("30.00")
    plan.ledger.record(plan.fail(plan.ledger.payment(TENANT, card.data.payment_id), NOW))
    ach = plan.pay(view, NOW, amount=Decimal("1000.00"), method="ach")
    plan.ledger.record(ach)
    [payout] = plan.due_payouts(NOW)
    assert payout.data.payment_ids == [ach.data.payment_id]
    assert {f.kind: f.amount for f in payout.data.fees} == {"ach": Decimal("5.00"), "chargeback": Decimal("15.00")}


def test_every_event_matches_the_published_json_schema():
    for event in simulate(planner(failure_ratio=0.2, platform_invoice_ratio=0.2), 80):
        document = json.loads(event.to_bytes())
        jsonschema.validate(document, schema(event.event_type))
        topic = "platform.payouts.v1" if event.event_type == "DepositPosted" else "platform.payments.v1"
        assert decode(topic, event.to_bytes()) == event
