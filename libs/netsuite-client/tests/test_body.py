"""Request bodies: money goes out as the Decimal's own digits, never through a binary float."""

import json
from decimal import Decimal

import pytest

from netsuite_client.body import dumps, encode


def test_decimals_are_written_with_exactly_their_digits():
    body = {"payment": Decimal("1234567890123456.78"), "apply": {"items": [{"amount": Decimal("-0.10")}]},
            "undepFunds": True, "memo": "café", "line": 0, "none": None}
    text = encode(body)
    assert '"payment":1234567890123456.78' in text  # float() would send 1234567890123456.8
    assert float(Decimal("1234567890123456.78")) != Decimal("1234567890123456.78")
    assert '"amount":-0.10' in text
    assert json.loads(text, parse_float=Decimal) == body
    assert dumps(body) == text.encode()


@pytest.mark.parametrize(("amount", "text"), [(Decimal("1E+3"), "1000"), (Decimal("2.5E-7"), "0.00000025"),
                                              (Decimal("0"), "0"), (Decimal("-0.00"), "-0.00")])
def test_decimals_never_use_exponent_form(amount, text):
    assert encode(amount) == text


@pytest.mark.parametrize("value", [Decimal("NaN"), Decimal("Infinity"), float("nan"), {1: "x"}, {"x": object()}])
def test_what_is_not_json_is_refused(value):
    with pytest.raises((ValueError, TypeError)):
        encode(value)
