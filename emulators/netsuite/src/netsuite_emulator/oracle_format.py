"""Oracle datetime format models for TO_CHAR (e.g. 'YYYY-MM-DD HH24:MI:SS', 'DD-MON-YYYY hh:mi AM')."""

import re
from datetime import datetime
from functools import lru_cache

TOKEN = re.compile(
    r'"[^"]*"|YYYY|YYY|YY|Y|MONTH|MON|MM|DDD|DD|DAY|DY|D|HH24|HH12|HH|MI|SS|FF[1-9]?|A\.M\.|P\.M\.|AM|PM|Q|WW|J',
    re.IGNORECASE)
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December"]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


def _cased(text: str, token: str) -> str:
    if token.isupper():
        return text.upper()
    if token[0].isupper():
        return text.title()
    return text.lower()


def _render(token: str, moment: datetime) -> str:
    key = token.upper()
    hour12 = moment.hour % 12 or 12
    simple = {
        "YYYY": f"{moment.year:04d}", "YYY": f"{moment.year % 1000:03d}", "YY": f"{moment.year % 100:02d}",
        "Y": str(moment.year % 10), "MM": f"{moment.month:02d}", "DD": f"{moment.day:02d}",
        "DDD": f"{moment.timetuple().tm_yday:03d}", "D": str(moment.isoweekday() % 7 + 1),
        "HH24": f"{moment.hour:02d}", "HH12": f"{hour12:02d}", "HH": f"{hour12:02d}", "MI": f"{moment.minute:02d}",
        "SS": f"{moment.second:02d}", "Q": str((moment.month - 1) // 3 + 1),
        "WW": f"{(moment.timetuple().tm_yday - 1) // 7 + 1:02d}", "J": str(moment.toordinal() + 1721425),
    }
    if key in simple:
        return simple[key]
    if key.startswith("FF"):
        return "0" * (int(key[2:]) if len(key) > 2 else 6)
    if key in ("AM", "PM", "A.M.", "P.M."):
        text = "AM" if moment.hour < 12 else "PM"
        text = text if "." not in key else f"{text[0]}.M."
        return _cased(text, token)
    names = {"MONTH": MONTHS[moment.month - 1], "MON": MONTHS[moment.month - 1][:3],
             "DAY": DAYS[moment.weekday()], "DY": DAYS[moment.weekday()][:3]}
    return _cased(names[key], token)


STRFTIME = {"YYYY": "%Y", "MM": "%m", "DD": "%d", "HH24": "%H", "MI": "%M", "SS": "%S"}


@lru_cache(maxsize=256)
def _as_strftime(model: str) -> str | None:
    """The common models map to one strftime call; None when a token needs the slow path."""
    parts, position = [], 0
    for match in TOKEN.finditer(model):
        parts.append(model[position:match.start()].replace("%", "%%"))
        token = match.group(0)
        if token.startswith('"'):
            parts.append(token[1:-1].replace("%", "%%"))
        elif token.upper() in STRFTIME:
            parts.append(STRFTIME[token.upper()])
        else:
            return None
        position = match.end()
    parts.append(model[position:].replace("%", "%%"))
    return "".join(parts)


def format_datetime(moment: datetime, model: str) -> str:
    fast = _as_strftime(model)
    if fast is not None:
        return moment.strftime(fast)
    parts, position = [], 0
    for match in TOKEN.finditer(model):
        parts.append(model[position:match.start()])
        token = match.group(0)
        parts.append(token[1:-1] if token.startswith('"') else _render(token, moment))
        position = match.end()
    parts.append(model[position:])
    return "".join(parts)


def has_time(strftime_format: str) -> bool:
    return any(code in strftime_format for code in ("%H", "%I", "%M", "%S", "%p", "%f"))
