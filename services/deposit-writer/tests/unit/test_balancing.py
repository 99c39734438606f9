"""R15 as pure functions: what a payout's deposit holds, whether it balances, what it waits for."""
from datetime import date
from decimal import Decimal

from sb_writeback.setup import TenantSetup

from deposit_writer import balancing
from deposit_writer.balancing import FeeLine, Imbalance, KnownPayment, NothingToPost, Payout, Post, Wait

READY = TenantSetup("t1", "connected", "123", None, "123", "3", "1", "10", "9")
D = Decimal


def known(payment_id, amount, surcharge="0.00", netsuite_payment_id=None, netsuite_deposit_id=None,
          status="written", currency="USD") -> KnownPayment:
    origin = "platform" if netsuite_deposit_id else "netsuite"
    return KnownPayment(payment_id, status, origin, D(amount), D(surcharge), currency, netsuite_payment_id,
                        netsuite_deposit_id)


def payout(payment_ids, gross, fees=(), net=None) -> Payout:
    fee_total = sum((D(amount) for _, amount in fees), D("0.00"))
    return Payout("t1", "po-1", "pending", "USD", date(2026, 11, 27), D(gross), fee_total,
                  D(net) if net else D(gross) - fee_total, tuple(payment_ids),
                  tuple(FeeLine(kind, D(amount)) for kind, amount in fees))


PAYMENTS = {p.payment_id: p for p in [known("a", "100.00", netsuite_payment_id="11"),
                                      known("b", "50.00", "2.00", netsuite_payment_id="12"),
                                      known("p", "30.00", "1.00", netsuite_deposit_id="31")]}


def test_a_balanced_payout_posts_its_customer_payments_with_the_deposit_total():
    plan = balancing.plan(payout("abp", "183.00", [("processing", "3.20")]), PAYMENTS, READY)
    assert isinstance(plan, Post)
    assert [p.payment_id for p in plan.payments] == ["a", "b"] and plan.total == D("148.80")


def test_the_deposit_has_payment_lines_surcharge_lines_and_fee_lines():
    the_payout = payout("abp", "183.00", [("processing", "3.20")])
    body = balancing.deposit_body(the_payout, balancing.plan(the_payout, PAYMENTS, READY), READY)
    assert body["account"] == {"id": "1"} and body["tranDate"] == "2026-11-27"
    assert body["payment"]["items"] == [{"id": "11", "deposit": True}, {"id": "12", "deposit": True}]
    assert [(i["account"]["id"], i["amount"]) for i in body["other"]["items"]] == [("9", D("2.00"))]
    assert [(i["account"]["id"], i["amount"]) for i in body["cashBack"]["items"]] == [("10", D("3.20"))]


def test_a_payout_that_does_not_balance_reports_the_difference():
    plan = balancing.plan(payout("abp", "183.00", [("processing", "3.20")], net="180.80"), PAYMENTS, READY)
    assert isinstance(plan, Imbalance) and plan.difference == D("1.00")


def test_payments_not_yet_in_netsuite_make_the_payout_wait_for_exactly_those():
    waiting = {**PAYMENTS, "b": known("b", "50.00", status="waiting")}
    assert balancing.plan(payout("abpx", "183.00"), waiting, READY) == Wait(missing_payments=("b", "x"))


def test_a_payment_that_failed_before_reaching_netsuite_can_never_balance():
    failed = {**PAYMENTS, "b": known("b", "50.00", "2.00", status="failed")}
    plan = balancing.plan(payout("abp", "183.00"), failed, READY)
    assert isinstance(plan, Imbalance) and "b" in plan.reason


def test_a_payment_in_another_currency_is_an_imbalance():
    foreign = {**PAYMENTS, "a": known("a", "100.00", netsuite_payment_id="11", currency="EUR")}
    assert isinstance(balancing.plan(payout("abp", "183.00"), foreign, READY), Imbalance)


def test_fees_need_the_fee_account_and_surcharges_the_income_account():
    bare = TenantSetup("t1", "connected", "123", None, "123", "3", "1", None, None)
    assert balancing.plan(payout("a", "100.00"), PAYMENTS, bare).__class__ is Post
    assert balancing.plan(payout("ab", "152.00", [("card", "1.00")]), PAYMENTS, bare) == Wait(
        missing_choices=("fee_expense", "platform_income"))


def test_only_standalone_payments_without_fees_leave_nothing_to_post():
    assert balancing.plan(payout("p", "31.00"), PAYMENTS, READY) == NothingToPost()


def test_fees_of_a_payout_of_standalone_payments_only_cannot_be_booked():
    plan = balancing.plan(payout("p", "31.00", [("card", "0.50")]), PAYMENTS, READY)
    assert isinstance(plan, Imbalance) and plan.difference == D("-0.50")


def test_a_fee_total_without_itemised_fees_is_one_fee_line():
    lumped = Payout("t1", "po", "pending", "USD", date(2026, 11, 27), D("100.00"), D("2.00"), D("98.00"), ("a",), ())
    assert lumped.fee_lines == (FeeLine("other", D("2.00"), "Platform fees"),)
