"""Times as the partner reads them: in the NetSuite account's time zone (decision
connector-account-time-zone), human readable ("Dec 6, 2026, 3:04 PM PST")."""
from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

UTC = dt.UTC


def zone(name: str | None) -> dt.tzinfo:
    try:
        return ZoneInfo(name) if name else UTC
    except (ZoneInfoNotFoundError, ValueError):
        return UTC


def parse(value: dt.datetime | str | None) -> dt.datetime | None:
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        at = value
    else:
        try:
            at = dt.datetime.fromisoformat(str(value).replace("Z", "+00:00"))
        except ValueError:
            return None
    return at if at.tzinfo else at.replace(tzinfo=UTC)


def _abbreviation(at: dt.datetime) -> str:
    name = at.tzname() or ""
    if name and name[0] in "+-":  # Etc/GMT±N zones have no name: say it as an offset
        return f"UTC{name}" if len(name) > 3 else f"UTC{name}:00"
    return name


def local(value: dt.datetime | str | None, timezone: str | None, *, seconds: bool = False) -> str:
    """``value`` in the account's zone, e.g. ``Dec 6, 2026, 3:04 PM PST``; ``—`` when unknown."""
    at = parse(value)
    if at is None:
        return "—"
    at = at.astimezone(zone(timezone))
    clock = at.strftime("%I:%M:%S %p" if seconds else "%I:%M %p").lstrip("0")
    return f"{at.strftime('%b')} {at.day}, {at.year}, {clock} {_abbreviation(at)}".strip()


def day(value: dt.date | str | None) -> str:
    """A calendar date (no zone): ``Dec 6, 2026``."""
    if not value:
        return "—"
    try:
        found = value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value)[:10])
    except ValueError:
        return str(value)
    return f"{found.strftime('%b')} {found.day}, {found.year}"


def hour_label(at: dt.datetime, timezone: str | None) -> str:
    """The hour an SVG bar stands for, in the account's zone: ``3 PM``."""
    local_at = at.astimezone(zone(timezone))
    return local_at.strftime("%I %p").lstrip("0")


def ago(value: dt.datetime | str | None, now: dt.datetime) -> str:
    """How long ago, roughly: ``just now``, ``5 min ago``, ``3 h ago``, ``2 days ago``."""
    at = parse(value)
    if at is None:
        return "never"
    seconds = max(0, int((now - at).total_seconds()))
    if seconds < 60:
        return "just now"
    if seconds < 3600:
        return f"{seconds // 60} min ago"
    if seconds < 86400:
        return f"{seconds // 3600} h ago"
    return f"{seconds // 86400} days ago"
