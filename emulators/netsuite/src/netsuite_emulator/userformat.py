"""The account user's date and time format preference (e.g. 'M/D/YYYY' and 'h:mm a').

Used to render dates in SuiteQL rows and to parse date literals in the record API's `q`."""

import re
from datetime import date, datetime

MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
_TOKEN = re.compile(r"YYYY|YY|Mon|MM|M|DD|D")
_TIME = re.compile(
    r"\s+(?P<hour>\d{1,2}):(?P<minute>\d{2})(?::(?P<second>\d{2}))?\s*(?P<ampm>[aApP]\.?[mM]\.?)?"
)


def format_date(day: date, pattern: str) -> str:
    values = {
        "YYYY": f"{day.year:04d}", "YY": f"{day.year % 100:02d}", "Mon": MONTHS[day.month - 1],
        "MM": f"{day.month:02d}", "M": str(day.month), "DD": f"{day.day:02d}", "D": str(day.day),
    }
    return _TOKEN.sub(lambda match: values[match.group(0)], pattern)


def format_time(moment: datetime, pattern: str) -> str:
    if pattern.startswith("H"):
        return f"{moment.hour:02d}:{moment.minute:02d}" if pattern.startswith("HH") else f"{moment.hour}:{moment.minute:02d}"
    hour = moment.hour % 12 or 12
    suffix = "am" if moment.hour < 12 else "pm"
    return f"{hour}:{moment.minute:02d} {suffix}"


def _date_regex(pattern: str) -> str:
    parts = []
    position = 0
    for match in _TOKEN.finditer(pattern):
        parts.append(re.escape(pattern[position:match.start()]))
        token = match.group(0)
        if token in ("YYYY", "YY"):
            parts.append(r"(?P<year>\d{4}|\d{2})")
        elif token == "Mon":
            parts.append(r"(?P<mon>[A-Za-z]{3})")
        elif token in ("MM", "M"):
            parts.append(r"(?P<month>\d{1,2})")
        else:
            parts.append(r"(?P<day>\d{1,2})")
        position = match.end()
    parts.append(re.escape(pattern[position:]))
    return "".join(parts)


def parse_user_datetime(text: str, pattern: str) -> tuple[datetime, bool]:
    """Parse `text` in the user's format. Returns (naive local datetime, has_time).
    Raises ValueError when it does not match."""
    text = text.strip()
    match = re.fullmatch(_date_regex(pattern) + f"(?P<time>{_TIME.pattern})?", text)
    if not match:
        raise ValueError(text)
    fields = match.groupdict()
    year = int(fields["year"])
    year = year + 2000 if year < 100 else year
    month = MONTHS.index(fields["mon"].title()) + 1 if fields.get("mon") else int(fields["month"])
    day = datetime(year, month, int(fields["day"]))
    if not fields.get("time"):
        return day, False
    hour = int(fields["hour"])
    ampm = (fields.get("ampm") or "").lower().replace(".", "")
    if ampm:
        if not 1 <= hour <= 12:
            raise ValueError(text)
        hour = hour % 12 + (12 if ampm == "pm" else 0)
    second = int(fields["second"] or 0)
    return day.replace(hour=hour, minute=int(fields["minute"]), second=second), True
