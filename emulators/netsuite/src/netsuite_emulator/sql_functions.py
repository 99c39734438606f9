"""Python functions registered on the sqlite connection for SuiteQL (TO_CHAR, TO_TIMESTAMP,
BUILTIN.DF, date arithmetic). They run with the account's time zone."""

import calendar
import re
from datetime import datetime, timedelta, timezone

from netsuite_emulator import clock
from netsuite_emulator.accounts import Account
from netsuite_emulator.oracle_format import format_datetime, has_time
from netsuite_emulator.suiteql_values import number_text

DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$")
DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
STATUS_TEXT = {
    "CustInvc": {"A": "Open", "B": "Paid In Full", "D": "Pending Approval", "E": "Rejected", "V": "Voided"},
    "CustPymt": {"A": "Unapproved Payment", "B": "Not Deposited", "C": "Deposited"},
    "CustCred": {"A": "Open", "B": "Fully Applied", "V": "Voided"},
}
TYPE_TEXT = {"CustInvc": "Invoice", "CustPymt": "Payment", "CustCred": "Credit Memo", "Deposit": "Deposit"}
def status_text(kind: str, letter: str) -> str:
    """BUILTIN.DF(status) is prefixed with the record type: "Invoice : Paid In Full" (evidence C20)."""
    text = STATUS_TEXT.get(kind, {}).get(letter)
    return f"{TYPE_TEXT.get(kind, kind)} : {text}" if text else letter


LOOKUPS = {
    "customer": "SELECT id, companyname FROM customer", "currency": "SELECT id, name FROM currency",
    "subsidiary": "SELECT id, name FROM subsidiary", "account": "SELECT id, fullname FROM account",
    "item": "SELECT id, itemid FROM item",
}


def _local(value: str, account: Account) -> datetime | None:
    """A stored datetime (UTC) in the account's time zone; a stored date as midnight."""
    try:
        if len(value) == 19 and DATETIME.match(value):
            moment = datetime(int(value[:4]), int(value[5:7]), int(value[8:10]), int(value[11:13]),
                              int(value[14:16]), int(value[17:19]), tzinfo=timezone.utc)
            return moment.astimezone(clock.zone(account.timezone)).replace(tzinfo=None)
        if len(value) == 10 and DATE.match(value):
            return datetime(int(value[:4]), int(value[5:7]), int(value[8:10]))
    except ValueError:
        return None
    return None


MERIDIEM = re.compile(r"(?<!%)\b[AaPp]\.?[Mm]\.?")


def _parse_local(text, strftime_format: str, account: Account, with_time: bool | None = None):
    if text is None:
        return None
    strftime_format = MERIDIEM.sub("%p", strftime_format)  # sqlglot leaves Oracle's AM/PM as text
    moment = datetime.strptime(str(text).strip(), strftime_format)
    if with_time is False or (with_time is None and not has_time(strftime_format)):
        return moment.strftime(clock.DB_DATE)
    return clock.to_db(clock.local_to_utc(moment, account.timezone))


def _shift(value, days=0.0, months=0):
    if value is None:
        return None
    is_date = bool(DATE.match(value))
    moment = datetime.strptime(value, clock.DB_DATE if is_date else clock.DB_DATETIME)
    if months:
        month_index = moment.month - 1 + int(months)
        year, month = moment.year + month_index // 12, month_index % 12 + 1
        moment = moment.replace(year=year, month=month, day=min(moment.day, calendar.monthrange(year, month)[1]))
    moment += timedelta(days=float(days or 0))
    return moment.strftime(clock.DB_DATE if is_date and float(days or 0).is_integer() else clock.DB_DATETIME)


def register(conn, account: Account, lookup_cache: dict) -> None:
    def to_char(value, model=None):
        if value is None:
            return None
        if isinstance(value, (int, float)):
            return number_text(value)
        moment = _local(value, account)
        if moment is None or model is None:
            return value
        return format_datetime(moment, model)

    def display(kind, value):
        if value is None:
            return None
        if kind not in lookup_cache:
            lookup_cache[kind] = {row[0]: row[1] for row in conn.execute(LOOKUPS[kind])}
        return lookup_cache[kind].get(int(value), str(value)) if str(value).lstrip("-").isdigit() else value

    def trunc(value, unit=None):
        if isinstance(value, (int, float)) or value is None:
            return None if value is None else int(value)
        moment = _local(value, account)
        return moment.strftime(clock.DB_DATE) if moment else value

    def date_diff(left, right):
        first, second = _local(left, account), _local(right, account)
        return None if first is None or second is None else (first - second).total_seconds() / 86400

    conn.create_function("NS_TO_CHAR", -1, to_char, deterministic=True)
    # "deterministic" lets sqlite evaluate constant calls such as TO_TIMESTAMP('...') once per query.
    functions = {
        "NS_TO_TIMESTAMP": (2, lambda text, fmt: _parse_local(text, fmt, account, True)),
        "NS_TO_DATE": (2, lambda text, fmt: _parse_local(text, fmt, account)),
        "NS_DATE_ADD": (2, lambda value, days: _shift(value, days=days)),
        "NS_ADD_MONTHS": (2, lambda value, months: _shift(value, months=months)),
        "NS_TRUNC": (-1, trunc), "NS_DATE_DIFF": (2, date_diff), "NS_DF": (2, display),
        "NS_DF_STATUS": (2, status_text),
        "NS_DF_TYPE": (1, lambda kind: TYPE_TEXT.get(kind, kind)),
        "NS_CF_STATUS": (2, lambda kind, letter: f"{kind}:{letter}" if letter else None),
    }
    for name, (arity, function) in functions.items():
        conn.create_function(name, arity, function, deterministic=True)
    conn.create_function("NS_SYSDATE", 0, account.clock.db_now)
