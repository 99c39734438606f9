from decimal import Decimal

import pytest
from pydantic import BaseModel, ValidationError

from contracts.money import Money, SignedMoney


class Amounts(BaseModel):
    amount: Money
    balance: SignedMoney | None = None


@pytest.mark.parametrize("raw,expected", [("0.00", "0.00"), ("150.00", "150.00"), ("999999999999999.99", "999999999999999.99")])
def test_money_strings_round_trip_exactly(raw, expected):
    assert Amounts(amount=raw).model_dump(mode="json")["amount"] == expected


@pytest.mark.parametrize("raw", [150.0, 150, "150", "150.1", "150.001", "-1.00", "1e3", "NaN", True, None])
def test_upstream_money_rejects_floats_ints_and_other_shapes(raw):
    with pytest.raises(ValidationError):
        Amounts(amount=raw)


def test_signed_money_allows_negatives_and_short_fractions():
    amounts = Amounts(amount="1.00", balance="-12.5")
    assert amounts.balance == Decimal("-12.50")
    assert amounts.model_dump(mode="json")["balance"] == "-12.50"


def test_decimal_input_with_more_than_two_digits_is_rejected():
    with pytest.raises(ValidationError):
        Amounts(amount=Decimal("1.005"))
