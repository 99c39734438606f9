"""Request bodies as JSON text, with money exact.

``json.dumps`` cannot write a ``decimal.Decimal`` as a number, and converting money to ``float``
first puts it through binary floating point. This encoder writes a ``Decimal`` as a JSON number
with exactly its digits (``Decimal("1234567890123.45")`` -> ``1234567890123.45``).
"""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

CONTENT_TYPE = "application/json"


def decimal_number(value: Decimal) -> str:
    """The Decimal's digits as a JSON number, never in exponent form; NaN and infinities are refused."""
    if not value.is_finite():
        raise ValueError(f"{value} is not a JSON number")
    return format(value, "f")


def encode(value: Any) -> str:
    """``value`` (dicts, lists, strings, numbers, booleans, None, Decimals) as compact JSON text."""
    if isinstance(value, Decimal):
        return decimal_number(value)
    if isinstance(value, dict):
        return "{" + ",".join(f"{_key(key)}:{encode(item)}" for key, item in value.items()) + "}"
    if isinstance(value, (list, tuple)):
        return "[" + ",".join(encode(item) for item in value) + "]"
    if value is None or isinstance(value, (str, int, float)):
        return json.dumps(value, allow_nan=False)
    raise TypeError(f"{type(value).__name__} cannot be sent to NetSuite as JSON")


def _key(key: Any) -> str:
    if not isinstance(key, str):
        raise TypeError(f"JSON object keys must be strings, not {type(key).__name__}")
    return json.dumps(key)


def dumps(value: Any) -> bytes:
    """The request body bytes (UTF-8; non-ASCII text is escaped, as ``json.dumps`` does)."""
    return encode(value).encode("utf-8")
