"""Time helpers. The store keeps datetimes as UTC text 'YYYY-MM-DD HH:MM:SS' (second precision)
and dates as 'YYYY-MM-DD'; the account's time zone only matters at the edges."""

from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

DB_DATETIME = "%Y-%m-%d %H:%M:%S"
DB_DATE = "%Y-%m-%d"


def utc_now() -> datetime:
    return datetime.now(timezone.utc).replace(microsecond=0)


def db_now() -> str:
    return to_db(utc_now())


def to_db(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).strftime(DB_DATETIME)


def from_db(text: str) -> datetime:
    return datetime.strptime(text[:19], DB_DATETIME).replace(tzinfo=timezone.utc)


def iso_z(text: str) -> str:
    """Record-API datetime: UTC, minute precision, as observed on real accounts."""
    return from_db(text).replace(second=0).strftime("%Y-%m-%dT%H:%M:%SZ")


def zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)  # ZoneInfo caches instances by name


def local_to_utc(naive: datetime, tz_name: str) -> datetime:
    return naive.replace(tzinfo=ZoneInfo(tz_name)).astimezone(timezone.utc)


def utc_to_local(moment: datetime, tz_name: str) -> datetime:
    return moment.astimezone(ZoneInfo(tz_name)).replace(tzinfo=None)


def local_today(tz_name: str) -> date:
    return utc_to_local(utc_now(), tz_name).date()


def parse_db_date(text: str) -> date:
    return datetime.strptime(text[:10], DB_DATE).date()


def add_days(day: date, days: int) -> date:
    return day + timedelta(days=days)
