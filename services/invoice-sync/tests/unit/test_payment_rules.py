"""Platform payments: outcomes merge in any order (R9/R10 inputs); R4 deposited (table-driven)."""
import itertools
from decimal import Decimal

import pytest

from invoice_sync.payments import merge_outcome, payment_view
from invoice_sync.testing import at, outcome

T = "msp-acme"


def merged(*outcomes):
    payment = None
    for o in outcomes:
        payment = merge_outcome(payment, o)
    return payment


WAITING = outcome(T, "901", "pay_001", "waiting", minute=1)
WRITTEN = outcome(T, "901", "pay_001", "written", minute=2, netsuite_payment_id="1777")
DEPOSITED = outcome(T, "901", "pay_001", "deposited", minute=3, netsuite_payment_id="1777")
FAILED = outcome(T, "901", "pay_001", "failed", minute=4)


def test_any_arrival_order_gives_the_same_payment():
    expected = merged(WAITING, WRITTEN, DEPOSITED, FAILED)
    for order in itertools.permutations([WAITING, WRITTEN, DEPOSITED, FAILED]):
        assert merged(*order) == expected
    assert (expected.received_at, expected.written_at, expected.failed_at) == (at(1), at(2), at(4))
    assert expected.status == "failed" and expected.netsuite_payment_id == "1777"


def test_a_failure_is_final_even_when_an_older_outcome_arrives_after_it():
    assert merged(FAILED, WRITTEN).status == "failed"


def test_the_applied_amount_is_kept_once_known():
    partial = outcome(T, "901", "pay_002", "written", minute=2, amount="80.00")
    later = outcome(T, "901", "pay_002", "deposited", minute=3, amount="80.00").model_copy(update={"applied_amount": None})
    assert merged(partial, later).applied == Decimal("80.00")


CASES = {
    "R4 written and in a NetSuite deposit": (merged(WAITING, WRITTEN), True, "deposited"),
    "R4 negative: written, not deposited yet": (merged(WAITING, WRITTEN), False, "written"),
    "R4 deposited outcome from the reconciler": (merged(WRITTEN, DEPOSITED), False, "deposited"),
    "R4 negative: waiting payment is never deposited": (merged(WAITING), True, "waiting"),
    "R10 failed wins over deposited": (merged(WRITTEN, FAILED), True, "failed"),
    "action needed stays action needed": (merged(outcome(T, "901", "pay_003", "action_needed", minute=1)), False,
                                          "action_needed"),
}


@pytest.mark.parametrize("payment,deposited,status", CASES.values(), ids=CASES.keys())
def test_payment_status_on_the_platform(payment, deposited, status):
    assert payment_view(payment, deposited).status == status
