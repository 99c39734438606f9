"""The payment rules (R9, R14, R18) as pure functions."""
from datetime import UTC, date, datetime
from decimal import Decimal

from sb_writeback.setup import TenantSetup

from payment_reconciler import reconciling
from payment_reconciler.reconciling import InvoiceRef, Payment

READY = TenantSetup("t1", "connected", "123", "America/Los_Angeles", "123", "3", "1", "10", "9")
INVOICE = InvoiceRef("inv-1", "901", "55", "INV1042", "USD", Decimal("150.00"), False)


def payment(amount="100.00", currency="USD", **extra) -> Payment:
    return Payment("t1", "pay-1", "pending", invoice_id="inv-1", amount=Decimal(amount), currency=currency,
                   method="ach", received_at=datetime(2026, 11, 27, 5, 0, tzinfo=UTC), **extra)


def test_a_known_invoice_in_its_currency_is_a_pending_customer_payment_applying_the_amount():
    decision = reconciling.decide(payment(), INVOICE, READY)
    assert (decision.state, decision.origin, decision.planned_apply) == ("pending", "netsuite", Decimal("100.00"))


def test_an_amount_above_the_maps_balance_is_left_for_netsuite_to_tell():
    assert reconciling.decide(payment("200.00"), INVOICE, READY).planned_apply is None


def test_an_archived_invoice_gets_nothing_applied():
    archived = InvoiceRef(**{**INVOICE.__dict__, "archived": True})
    assert reconciling.decide(payment(), archived, READY).planned_apply == Decimal("0.00")


def test_a_currency_mismatch_needs_action_and_is_never_written():
    decision = reconciling.decide(payment(currency="EUR"), INVOICE, READY)
    assert decision.state == "action_needed" and "EUR" in decision.reason and "USD" in decision.reason


def test_an_unknown_invoice_is_a_platform_payment_for_a_standalone_deposit():
    decision = reconciling.decide(payment(), None, READY)
    assert (decision.state, decision.origin) == ("pending", "platform")


def test_work_waits_for_the_account_choices_it_needs_and_only_those():
    no_income = TenantSetup(**{**READY.__dict__, "platform_income": None})
    assert reconciling.decide(payment(), INVOICE, no_income).state == "pending"
    waiting = reconciling.decide(payment(), None, no_income)
    assert (waiting.state, waiting.missing) == ("waiting", ("platform_income",))
    assert reconciling.decide(payment(), INVOICE, TenantSetup("t1")).missing == ("undeposited_funds",)


def test_a_setup_made_for_another_netsuite_account_counts_as_missing():
    moved = TenantSetup(**{**READY.__dict__, "netsuite_account_id": "999"})
    assert reconciling.decide(payment(), INVOICE, moved).missing == ("undeposited_funds",)


def test_a_broken_connection_makes_payments_wait():
    broken = TenantSetup(**{**READY.__dict__, "connection_status": "error"})
    assert reconciling.decide(payment(), INVOICE, broken).state == "waiting"


def test_never_more_than_the_balance_is_applied_and_never_less_than_nothing():
    assert reconciling.apply_amount(Decimal("200.00"), Decimal("150.00")) == Decimal("150.00")
    assert reconciling.apply_amount(Decimal("20.00"), Decimal("150.00")) == Decimal("20.00")
    assert reconciling.apply_amount(Decimal("20.00"), Decimal("-5.00")) == Decimal("0.00")


def test_the_transaction_date_is_the_netsuite_accounts_local_date():
    instant = datetime(2026, 11, 27, 5, 0, tzinfo=UTC)
    assert reconciling.local_date(instant, "America/Los_Angeles") == date(2026, 11, 26)
    assert reconciling.local_date(instant, None) == date(2026, 11, 27)
    assert reconciling.local_date(instant, "Not/AZone") == date(2026, 11, 27)


def test_the_customer_payment_posts_the_full_amount_to_undeposited_funds_and_applies_part():
    routed = payment("200.00", netsuite_customer_id="55", netsuite_invoice_id="901", invoice_number="INV1042")
    body = reconciling.customer_payment_body(routed, Decimal("150.00"), "America/Los_Angeles")
    assert body["payment"] == Decimal("200.00") and body["undepFunds"] is True and body["tranDate"] == "2026-11-26"
    assert body["apply"]["items"] == [{"doc": {"id": "901"}, "line": 0, "apply": True, "amount": 150.0}]
    assert "pay-1" in body["memo"] and "INV1042" in body["memo"]
    assert "apply" not in reconciling.customer_payment_body(routed, Decimal("0.00"), None)


def test_a_standalone_deposit_is_one_other_line_of_amount_plus_surcharge_to_platform_income():
    body = reconciling.standalone_deposit_body(payment("80.00", surcharge=Decimal("2.40")), READY, None)
    assert body["account"] == {"id": "1"}
    assert [(line["account"]["id"], line["amount"]) for line in body["other"]["items"]] == [("9", Decimal("82.40"))]
