"""How record JSON looks: references, links, sublists, money; empty fields are left out."""

from dataclasses import dataclass, field
from decimal import Decimal

from netsuite_emulator.accounts import Account
from netsuite_emulator.routing import Target
from netsuite_emulator.store import Store

RECORD_CONTENT_TYPE = "application/vnd.oracle.resource+json; type=singular; charset=UTF-8"
COLLECTION_CONTENT_TYPE = "application/vnd.oracle.resource+json; type=collection; charset=UTF-8"


@dataclass
class Ctx:
    """What a record operation needs: the account, where links point, and the request time."""

    account: Account
    target: Target
    query: dict = field(default_factory=dict)
    now: str = ""

    def __post_init__(self):
        # A save committing late (a long import or script) carries the time it started.
        self.now = self.now or self.account.clock.db_now(lag_s=self.account.commit_lag_s)

    @property
    def store(self) -> Store:
        return self.account.store

    def record_url(self, record_type: str, record_id) -> str:
        return f"{self.target.rest_base}/record/v1/{record_type}/{record_id}"


def self_links(href: str) -> list[dict]:
    return [{"rel": "self", "href": href}]


def ref(ctx: Ctx, record_type: str | None, record_id, ref_name: str | None = None) -> dict | None:
    if record_id is None:
        return None
    links = self_links(ctx.record_url(record_type, record_id)) if record_type else []
    value = {"links": links, "id": str(record_id)}
    if ref_name is not None:
        value["refName"] = ref_name
    return value


def status(text: str | None) -> dict | None:
    return {"id": text, "refName": text} if text else None


def number(value) -> float | None:
    if value is None:
        return None
    return float(Decimal(str(value)).quantize(Decimal("0.01")) if isinstance(value, float) else value)


def compact(values: dict) -> dict:
    """NetSuite leaves out fields without a value instead of sending null."""
    return {key: value for key, value in values.items() if value is not None and value != ""}


def sublist(ctx: Ctx, record_type: str, record_id, name: str, lines: list[dict], expand: bool) -> dict:
    """A stub with a self link, or with expandSubResources the lines. Each line dict may carry
    a "_key" used in its own link (defaults to its position)."""
    href = f"{ctx.record_url(record_type, record_id)}/{name}"
    if not expand:
        return {"links": self_links(href)}
    items = []
    for position, line in enumerate(lines, start=1):
        key = line.pop("_key", position)
        items.append({"links": self_links(f"{href}/{key}"), **compact(line)})
    return {"links": self_links(href), "items": items, "totalResults": len(items)}


def bool_out(flag) -> bool | None:
    if flag is None:
        return None
    return flag == "T" if isinstance(flag, str) else bool(flag)
