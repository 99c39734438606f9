"""Time helpers. The store keeps datetimes as UTC text 'YYYY-MM-DD HH:MM:SS' (second precision)
and dates as 'YYYY-MM-DD'; the account's time zone only matters at the edges.

Each account has its own clock (`AccountClock`): real time plus an offset that tests set or
advance through `POST /_emulator/accounts/{id}/clock`, so nothing the emulator does depends on the
calendar date of the machine it runs on."""

from dataclasses import dataclass
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


def parse_instant(text: str) -> datetime:
    """'2026-06-30T18:00:00Z' (or with an offset) as an aware UTC datetime."""
    moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    if moment.tzinfo is None:
        raise ValueError(f"an instant needs a time zone (Z or +hh:mm): {text!r}")
    return moment.astimezone(timezone.utc)


def iso_instant(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass
class AccountClock:
    """The account's "now": the machine's clock shifted by `offset_s`. It keeps running (a frozen
    clock would stamp two edits made a second apart with the same lastModifiedDate, which real
    NetSuite does not do), and only ever moves forward through `advance`."""

    offset_s: float = 0.0

    def now(self) -> datetime:
        return utc_now() + timedelta(seconds=self.offset_s)

    def db_now(self, lag_s: float = 0.0) -> str:
        return to_db(self.now() - timedelta(seconds=lag_s))

    def epoch(self) -> float:
        return self.now().timestamp()

    def local_today(self, tz_name: str) -> date:
        return utc_to_local(self.now(), tz_name).date()

    def set(self, moment: datetime) -> None:
        self.offset_s = (moment - utc_now()).total_seconds()

    def advance(self, seconds: float) -> None:
        if seconds < 0:
            raise ValueError("the clock only moves forward")
        self.offset_s += seconds
