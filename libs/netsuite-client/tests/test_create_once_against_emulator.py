"""create_once survives writes that commit and then fail, without ever duplicating."""

import asyncio
import time

from netsuite_client import LocalBudget


async def test_500_ambiguous_creates_leave_exactly_500_records(emulator, account, make_client):
    emulator.patch_account(account["account_id"], ambiguous_write_rate=0.3, ambiguous_write_mode="mixed")
    client = make_client(account, budget=LocalBudget(10))
    started = time.monotonic()

    async def create(n):
        return await client.records.create_once("customer", f"sb-once-{n}", {"companyName": f"Once {n}"})

    ids = await asyncio.gather(*(create(n) for n in range(500)))
    elapsed = time.monotonic() - started
    emulator.patch_account(account["account_id"], ambiguous_write_rate=0.0)

    stats = emulator.stats(account["account_id"])
    assert stats["status_counts"].get("dropped", 0) + stats["status_counts"].get("500", 0) > 100
    assert len(set(ids)) == 500
    count = await client.suiteql.query_page("SELECT COUNT(*) AS n FROM customer WHERE externalid LIKE 'sb-once-%'")
    assert count.items[0]["n"] == "500"
    assert stats["records"]["customer"] == 5 + 500
    rows = await client.suiteql.query_all(
        "SELECT id, externalid FROM customer WHERE externalid LIKE 'sb-once-%' AND {after} ORDER BY id"
    )
    assert {row["externalid"]: row["id"] for row in rows} == {f"sb-once-{n}": ids[n] for n in range(500)}
    assert elapsed < 30


async def test_create_once_twice_returns_the_same_id(client):
    first = await client.records.create_once("customer", "sb-twice", {"companyName": "Twice"})
    second = await client.records.create_once("customer", "sb-twice", {"companyName": "Twice again"})
    assert first == second
    assert (await client.records.get("customer", first))["companyName"] == "Twice"
