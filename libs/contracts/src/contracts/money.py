"""Money: ``Decimal`` in code, a decimal string with exactly two fraction digits on the wire.

Floats (and ints) are rejected: a JSON number cannot carry money without rounding risk.
"""
from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Annotated

from pydantic import PlainSerializer, PlainValidator, StringConstraints, WithJsonSchema

CENT = Decimal("0.01")
_UPSTREAM = re.compile(r"^(0|[1-9][0-9]{0,14})\.[0-9]{2}$")
_SIGNED = re.compile(r"^-?(0|[1-9][0-9]{0,14})(\.[0-9]{1,2})?$")


def quantize(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def _parse(value: object, pattern: re.Pattern[str]) -> Decimal:
    # Money is parsed and formatted several times per event on hot paths (invoice-sync applies
    # thousands a second): values already in cents skip the quantize.
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise ValueError("money must be finite")
        cents = quantize(value)
        if value != cents:
            raise ValueError("money has at most 2 fraction digits")
        return cents
    if isinstance(value, bool) or not isinstance(value, str):
        raise ValueError("money must be a decimal string such as \"150.00\", not a number")
    if not pattern.match(value):
        raise ValueError(f"not a money string: {value!r}")
    try:
        return Decimal(value) if value[-3:-2] == "." else quantize(Decimal(value))
    except InvalidOperation as error:  # pragma: no cover - the pattern already guards this
        raise ValueError(f"not a money string: {value!r}") from error


_upstream_match = _UPSTREAM.match
_signed_match = _SIGNED.match


def _parse_amount(value: object) -> Decimal:
    # Hot path first (a plain string in cents: what the wire carries); anything else through ``_parse``.
    if type(value) is str and value[-3:-2] == "." and _upstream_match(value):
        return Decimal(value)
    return _parse(value, _UPSTREAM)


def _parse_signed(value: object) -> Decimal:
    if type(value) is str and value[-3:-2] == "." and _signed_match(value):
        return Decimal(value)
    return _parse(value, _SIGNED)


def format_money(value: Decimal) -> str:
    text = str(value)
    if text[-3:-2] == ".":  # exactly two fraction digits, no exponent: already what quantize gives
        return text
    return f"{quantize(value):.2f}"


_serialize = PlainSerializer(format_money, return_type=str, when_used="always")

#: Non-negative amount exactly as the upstream platform sends it ("150.00").
Money = Annotated[
    Decimal, PlainValidator(_parse_amount), _serialize,
    WithJsonSchema({"type": "string", "pattern": _UPSTREAM.pattern}),
]

#: Signed amount with up to two fraction digits (NetSuite balances, differences).
SignedMoney = Annotated[
    Decimal, PlainValidator(_parse_signed), _serialize,
    WithJsonSchema({"type": "string", "pattern": _SIGNED.pattern}),
]

#: ISO 4217 currency code.
Currency = Annotated[str, StringConstraints(pattern=r"^[A-Z]{3}$")]
