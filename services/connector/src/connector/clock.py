"""NetSuite account time: SuiteQL shows datetimes in the account's time zone ('YYYY-MM-DD HH24:MI:SS')."""
from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

LOCAL_FORMAT = "%Y-%m-%d %H:%M:%S"


def zone(name: str | None) -> dt.tzinfo:
    try:
        return ZoneInfo(name) if name else dt.UTC
    except (ZoneInfoNotFoundError, ValueError):
        return dt.UTC


def parse_local(text: str) -> dt.datetime:
    return dt.datetime.strptime(text.strip()[:19], LOCAL_FORMAT)


def local_to_utc(text: str, timezone: str | None) -> dt.datetime:
    """An account-local SuiteQL datetime as an aware UTC datetime (the earlier reading when ambiguous)."""
    return parse_local(text).replace(tzinfo=zone(timezone)).astimezone(dt.UTC)


def shift(text: str, seconds: float) -> str:
    return (parse_local(text) + dt.timedelta(seconds=seconds)).strftime(LOCAL_FORMAT)


def _offset_minutes(name: str, at: dt.datetime) -> int | None:
    current = at.astimezone(zone(name)).utcoffset()
    return None if current is None else round(current.total_seconds() / 60)


def detect_timezone(local_now: str, utc_now: dt.datetime, preferred: list[str]) -> str:
    """The account's zone from its clock: a preferred zone whose current offset matches, else a fixed one.

    NetSuite does not publish the user's time-zone preference over REST; its SuiteQL clock does
    show the offset. See docs/decisions/connector-account-time-zone.md.
    """
    offset = parse_local(local_now) - utc_now.astimezone(dt.UTC).replace(tzinfo=None)
    minutes = round(offset.total_seconds() / 900) * 15
    for name in preferred:
        if name and _offset_minutes(name, utc_now) == minutes:
            return name
    hours, rest = divmod(abs(minutes), 60)
    if minutes == 0:
        return "UTC"
    if rest == 0:
        return f"Etc/GMT{'-' if minutes > 0 else '+'}{hours}"
    for name in sorted(available_timezones()):
        if _offset_minutes(name, utc_now) == minutes:
            return name
    return "UTC"


class SystemClock:
    """Wall-clock time in UTC for what the connector decides by date (refresh-token expiry).

    Injected through ``Deps.clock``; tests pass ``connector.testing.AdjustableClock`` and move it.
    """

    def now(self) -> dt.datetime:
        return dt.datetime.now(dt.UTC)
