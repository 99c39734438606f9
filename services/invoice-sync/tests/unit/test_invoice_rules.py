"""R1, R3, R6, R10, R11, R12, R13: the platform invoice as a pure function of its inputs (table-driven)."""
import itertools
from decimal import Decimal

import pytest

from invoice_sync.invoices import Archive, Revert, compute
from invoice_sync.payments import merge_outcome
from invoice_sync.testing import at, outcome, version

T = "msp-acme"


def payments(*outcomes):
    merged = {}
    for o in outcomes:
        merged[o.payment_id] = merge_outcome(merged.get(o.payment_id), o)
    return list(merged.values())


def paid(minute, payment="pay_001", status="written", amount="250.00"):
    return outcome(T, "901", payment, status, minute=minute, amount=amount)


def summary(state):
    if state is None:
        return None
    return (str(state.amount_remaining), state.status, state.paid_via_platform, state.archived)


CASES = {
    # R1: the newest NetSuite version with its lines is the platform invoice
    "R1 first version creates the invoice": ([version(lines=3)], [], None, ("250.00", "open", False, False)),
    "R1 no NetSuite version yet: nothing to show": ([], [paid(1, status="waiting")], None, None),
    # R3 / R13: balance = NetSuite amountRemaining
    "R13 partial payment in NetSuite": ([version(), version(minute=1, remaining="150.00")], [], None,
                                        ("150.00", "partially_paid", False, False)),
    "R3 credit memo pays it in full": ([version(), version(minute=1, remaining="0.00")], [], None,
                                       ("0.00", "paid", False, False)),
    "R3 NetSuite reopens it (payment deleted there)": (
        [version(), version(minute=1, remaining="0.00"), version(minute=2)], [], None, ("250.00", "open", False, False)),
    "R3 zero invoice is paid": ([version(total="0.00")], [], None, ("0.00", "paid", False, False)),
    # R12: amount follows NetSuite while unpaid
    "R12 amount raised in NetSuite": ([version(), version(minute=1, total="300.00")], [], None,
                                      ("300.00", "open", False, False)),
    # R11: paid through suitebridge, then frozen
    "R11 written platform payment, NetSuite shows it": (
        [version(), version(minute=1, remaining="0.00")], [paid(1.5)], None, ("0.00", "paid", True, False)),
    "R11 platform payment waiting for write-back": ([version()], [paid(1, status="waiting")], None,
                                                    ("0.00", "paid", True, False)),
    "R11 edits after the platform payment are not applied": (
        [version(), version(minute=1, remaining="0.00"), version(minute=5, total="300.00", remaining="50.00")],
        [paid(1.5)], None, ("0.00", "paid", True, False)),
    "R11 two platform payments together": (
        [version(), version(minute=1, remaining="150.00"), version(minute=3, remaining="0.00")],
        [paid(1.5, "pay_001", amount="100.00"), paid(3.5, "pay_002", amount="150.00")], None,
        ("0.00", "paid", True, False)),
    "R11 negative: partial platform payment does not freeze": (
        [version(), version(minute=1, remaining="150.00")], [paid(1.5, amount="100.00")], None,
        ("150.00", "partially_paid", False, False)),
    "R11 negative: partial platform payment waiting is taken off": (
        [version()], [paid(1, status="waiting", amount="100.00")], None, ("150.00", "partially_paid", False, False)),
    "R11 negative: paid by check in NetSuite is not frozen": (
        [version(), version(minute=1, remaining="0.00"), version(minute=2, total="300.00", remaining="50.00")], [],
        None, ("50.00", "partially_paid", False, False)),
    "R11 negative: action needed payment does not count": ([version()], [paid(1, status="action_needed")], None,
                                                          ("250.00", "open", False, False)),
    # R10: failed platform payment
    "R10 failure unfreezes and adds the amount back": (
        [version(), version(minute=1, remaining="0.00")], [paid(1.5), paid(10, status="failed")], None,
        ("250.00", "open", False, False)),
    "R10 NetSuite's stale paid does not overwrite": (
        [version(), version(minute=1, remaining="0.00"), version(minute=20, remaining="0.00", memo="edited")],
        [paid(1.5), paid(10, status="failed")], None, ("250.00", "open", False, False)),
    "R10 reverted in NetSuite: follows NetSuite again": (
        [version(), version(minute=1, remaining="0.00"), version(minute=20, remaining="250.00")],
        [paid(1.5), paid(10, status="failed")], None, ("250.00", "open", False, False)),
    "R10 failed before write-back: nothing to revert": (
        [version()], [paid(1, status="waiting"), paid(10, status="failed")], None, ("250.00", "open", False, False)),
    "R10 partial failure, NetSuite moves meanwhile": (
        [version(), version(minute=1, remaining="150.00"), version(minute=20, remaining="100.00")],
        [paid(1.5, amount="100.00"), paid(10, status="failed", amount="100.00")], None,
        ("200.00", "partially_paid", False, False)),
    # R6: deleted or voided → archived, never deleted
    "R6 deleted in NetSuite": ([version()], [], Archive("deleted", at(5)), ("250.00", "archived", False, True)),
    "R6 voided version archives it": ([version(), version(minute=5, total="0.00", status="voided")], [], None,
                                      ("250.00", "archived", False, True)),
    "R6 later versions do not bring it back": (
        [version(), version(minute=9, total="300.00")], [], Archive("deleted", at(5)),
        ("250.00", "archived", False, True)),
    "R6 negative: archive of an invoice never seen shows nothing": ([], [], Archive("deleted", at(5)), None),
    # Echo: suitebridge's own write coming back still updates the balance
    "echo version still updates the balance": ([version(), version(minute=1, remaining="150.00", echo=True)], [],
                                               None, ("150.00", "partially_paid", False, False)),
}


@pytest.mark.parametrize("versions,outcomes,archive,expected", CASES.values(), ids=CASES.keys())
def test_rule(versions, outcomes, archive, expected):
    assert summary(compute(versions, payments(*outcomes), archive)) == expected


def test_r1_shows_header_and_lines_of_the_newest_version():
    state = compute([version(lines=1), version(minute=1, lines=3, memo="Q4")], [], None)
    assert state.shown.memo == "Q4" and [line.line for line in state.shown.lines] == [1, 2, 3]
    assert sum(line.amount for line in state.shown.lines) == Decimal("250.00")


def test_r12_due_date_follows_netsuite_while_unpaid_but_not_once_paid_via_platform():
    edited = version(minute=5, due_on=version().due_on.replace(day=20))
    assert compute([version(), edited], [], None).shown.due_on.day == 20
    frozen = compute([version(), version(minute=1, remaining="0.00"), edited], payments(paid(1.5)), None)
    assert frozen.shown.due_on.day == 1 and frozen.paid_via_platform


def test_r10_revert_is_pending_until_netsuite_shows_the_invoice_unpaid_again():
    base = [version(), version(minute=1, remaining="0.00")]
    failed = payments(paid(1.5), paid(10, status="failed"))
    assert compute(base, failed, None).reverts == (Revert("pay_001", Decimal("250.00"), resolved=False),)
    stale = base + [version(minute=20, remaining="0.00", memo="x")]
    assert compute(stale, failed, None).reverts[0].resolved is False
    reverted = stale + [version(minute=30, remaining="250.00")]
    assert compute(reverted, failed, None).reverts[0].resolved is True


def test_r10_resolves_even_when_netsuite_only_partly_reverts():
    # "back up": any rise above the lowest balance NetSuite showed since the failure
    state = compute([version(), version(minute=1, remaining="0.00"), version(minute=20, remaining="100.00")],
                    payments(paid(1.5), paid(10, status="failed")), None)
    assert state.reverts[0].resolved and summary(state) == ("100.00", "partially_paid", False, False)


def test_r11_a_new_platform_payment_after_a_failure_freezes_again():
    state = compute([version(), version(minute=1, remaining="0.00"), version(minute=40, remaining="250.00")],
                    payments(paid(1.5), paid(10, status="failed"), paid(50, "pay_002", status="waiting")), None)
    assert summary(state) == ("0.00", "paid", True, False)


def test_the_state_does_not_depend_on_the_order_inputs_arrived_in():
    versions = [version(), version(minute=1, remaining="0.00"), version(minute=20, remaining="0.00", memo="x"),
                version(minute=30, remaining="250.00")]
    outcomes = [paid(0.5, status="waiting"), paid(1.5), paid(10, status="failed")]
    expected = compute(versions, payments(*outcomes), None)
    for ordered_versions in itertools.permutations(versions):
        for ordered_outcomes in itertools.permutations(outcomes):
            assert compute(list(ordered_versions), payments(*ordered_outcomes), None) == expected


def test_updated_at_is_the_time_of_the_last_input_that_changed_something():
    older_arrives_late = compute([version(minute=5), version(minute=2)], [], None)
    assert older_arrives_late.changed_at == at(5)
    frozen = compute([version(), version(minute=1, remaining="0.00"), version(minute=9, memo="ignored")],
                     payments(paid(1.5)), None)
    assert frozen.changed_at == at(1.5)


def test_r11_netsuite_clock_a_little_ahead_still_counts_as_paid_via_platform():
    # NetSuite stamps its version of our write 2 s after we recorded the write
    state = compute([version(), version(minute=1.5 + 2 / 60, remaining="0.00")], payments(paid(1.5)), None)
    assert summary(state) == ("0.00", "paid", True, False)


def test_r11_negative_paid_by_check_long_after_a_partial_platform_payment_is_not_frozen():
    state = compute([version(), version(minute=1, remaining="150.00"), version(minute=30, remaining="0.00"),
                     version(minute=40, remaining="20.00")], payments(paid(1.5, amount="100.00")), None)
    assert summary(state) == ("20.00", "partially_paid", False, False)
