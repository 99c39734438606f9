"""How SuiteQL renders values: every value a string, dates in the user's format, NULLs left out."""

from decimal import Decimal

from netsuite_emulator import clock
from netsuite_emulator.userformat import format_date


def number_text(value) -> str:
    if isinstance(value, int):
        return str(value)
    text = format(Decimal(repr(round(value, 10))).normalize(), "f")
    return text


def render(value, as_date: bool, date_format: str, timezone: str) -> str | None:
    if value is None:
        return None
    if isinstance(value, (int, float)):
        return number_text(value)
    if as_date and isinstance(value, str) and len(value) >= 10 and value[4] == "-":
        if len(value) == 19:
            day = clock.utc_to_local(clock.from_db(value), timezone).date()
        else:
            day = clock.parse_db_date(value)
        return format_date(day, date_format)
    return str(value)
