"""R2 (customers flow NS → P) and R7 (inactivation is not propagated), table-driven."""
import pytest

from invoice_sync.customers import apply_change
from invoice_sync.testing import customer

T = "msp-acme"
STORED = apply_change(T, None, customer(minute=1)).customer


CASES = {
    "R2 new customer is created": (None, customer(), True, 1),
    "R2 renamed in NetSuite": (STORED, customer(minute=2, name="Acme Group"), True, 2),
    "R2 email changed in NetSuite": (STORED, customer(minute=2, email="billing@acme.example"), True, 2),
    "R7 made inactive: nothing changes on the platform": (STORED, customer(minute=2, inactive=True), False, 1),
    "R7 inactive and renamed: the rename still flows": (STORED, customer(minute=2, inactive=True, name="Acme Old"),
                                                        True, 2),
    "same version again: nothing to publish": (STORED, customer(minute=1), False, 1),
}


@pytest.mark.parametrize("current,change,published,version", CASES.values(), ids=CASES.keys())
def test_customer_change(current, change, published, version):
    outcome = apply_change(T, current, change)
    assert (outcome.published, outcome.customer.version) == (published, version)
    assert outcome.customer.last_modified == change.last_modified


def test_an_older_version_never_moves_the_customer_backwards():
    assert apply_change(T, STORED, customer(minute=0, name="Old name")) is None


def test_inactivation_is_recorded_but_not_part_of_what_the_platform_sees():
    outcome = apply_change(T, STORED, customer(minute=2, inactive=True))
    assert outcome.customer.inactive and outcome.customer.platform_fields() == STORED.platform_fields()
