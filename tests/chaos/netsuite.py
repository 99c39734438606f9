"""What NetSuite holds, read as the partner's own NetSuite user (TBA) through SuiteQL: suitebridge's
customer payments and deposits per tenant account, with the second each was created."""
from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass
from datetime import UTC, datetime

from contracts.ids import netsuite_external_id
from netsuite_client import NetSuiteClient, UnlimitedBudget
from netsuite_client.testing import tenant_config_for_emulator

from .traffic import Offer

# Our records (externalId "sb-...") or anything whose memo names a platform payment/payout: a
# duplicate written under another externalId still shows up.
QUERY = ("SELECT id, type, externalid, memo, TO_CHAR(createddate, 'YYYY-MM-DD HH24:MI:SS') AS created "
         "FROM transaction WHERE type IN ('CustPymt', 'Deposit') "
         "AND (externalid LIKE 'sb-%' OR memo LIKE 'suitebridge:%')")
KIND = {"payment": ("pay", "CustPymt", "platform payment "), "payout": ("payout", "Deposit", "platform payout ")}


@dataclass(frozen=True)
class Record:
    netsuite_id: str
    type: str
    external_id: str | None
    memo: str
    created_at: float  # epoch seconds; the emulator stores whole seconds (UTC)


def external_id(offer: Offer) -> str:
    return netsuite_external_id(KIND[offer.kind][0], offer.tenant_id, offer.platform_id)


def _parse(row: dict) -> Record:
    created = datetime.strptime(row["created"], "%Y-%m-%d %H:%M:%S").replace(tzinfo=UTC)
    return Record(str(row["id"]), row["type"], row.get("externalid"), row.get("memo") or "", created.timestamp())


class NetSuiteReader:
    def __init__(self, emulator_url: str, accounts: dict[str, dict]):
        """``accounts``: tenant id -> the emulator's create_account answer."""
        self.clients = {tenant: NetSuiteClient(tenant_config_for_emulator(emulator_url, account),
                                               budget=UnlimitedBudget()) for tenant, account in accounts.items()}

    async def records(self, tenant_id: str) -> list[Record]:
        rows = await self.clients[tenant_id].suiteql.query_all(QUERY)
        return [_parse(row) for row in rows]

    async def matches(self, offers: list[Offer]) -> dict[Offer, list[Record]]:
        """Each offer -> the NetSuite records written for it (by externalId or by the memo naming it)."""
        tenants = sorted({offer.tenant_id for offer in offers})
        found = dict(zip(tenants, await asyncio.gather(*(self.records(t) for t in tenants))))
        return {offer: _records_for(offer, found[offer.tenant_id]) for offer in offers}

    async def wait_written(self, offers: list[Offer], timeout_s: float, interval_s: float = 3.0
                           ) -> dict[Offer, list[Record]]:
        """Poll (bounded) until every offer has a record; only tenants with something missing are read again."""
        deadline = time.monotonic() + timeout_s
        result: dict[Offer, list[Record]] = {}
        missing = list(offers)
        while True:
            result.update(await self.matches(missing))
            missing = [offer for offer in offers if not result[offer]]
            if not missing or time.monotonic() > deadline:
                return result
            await asyncio.sleep(interval_s)  # polling NetSuite for the records; bounded by the deadline

    async def aclose(self) -> None:
        await asyncio.gather(*(client.aclose() for client in self.clients.values()))


def _records_for(offer: Offer, records: list[Record]) -> list[Record]:
    wanted_id = external_id(offer)
    _, record_type, memo_prefix = KIND[offer.kind]
    named = f"{memo_prefix}{offer.platform_id}"
    return [r for r in records if r.type == record_type and (
        r.external_id == wanted_id or named + " " in r.memo + " ")]
