"""Incremental polls read invoices with their lines in one joined query: lines that run over a page
boundary, and invoices of the overlap window (read without their lines) that were not published yet."""
from __future__ import annotations

import asyncio
from decimal import Decimal

import pytest
from contracts import topics
from netsuite_client import NetSuiteClient
from netsuite_client.testing import tenant_config_for_emulator, untouched_invoices

from connector import clock
from connector.testing import TopicWatcher, connect_through_form, running_connector, until_connected

SEED = {"customers": 4, "invoices": 30, "months": 12, "random_seed": 5}
PAGE_SIZE = 4  # an invoice's lines run over pages


@pytest.fixture
async def connected(ns, make_settings, callback_port, kafka_bootstrap, unique):
    account = ns.create_account(seed=SEED)
    tenant = f"t-{unique}"
    user = NetSuiteClient(tenant_config_for_emulator(ns.url, account))
    async with running_connector(make_settings(page_size=PAGE_SIZE), callback_port) as (url, app), \
            TopicWatcher(kafka_bootstrap, [topics.NETSUITE_INVOICES], tenant) as watcher:
        page = await connect_through_form(url, tenant, account["account_id"])
        assert page.status_code == 200, page.text
        await until_connected(url, tenant)
        yield {"account": account, "user": user, "watcher": watcher, "pool": app.state.shell.pool, "tenant": tenant}
    await user.aclose()


def lines_of(count: int, memo: str) -> dict:
    return {"item": {"items": [{"item": {"id": "11"}, "quantity": 1, "rate": 10.0 + index,
                                "description": f"{memo} {index}"} for index in range(count)]}}


def amounts(watcher: TopicWatcher, invoice_id: str, memo: str) -> list[list[Decimal]]:
    """The line amounts of each event of ``invoice_id`` carrying ``memo``."""
    return [sorted(Decimal(line["amount"]) for line in event["data"]["lines"])
            for event in watcher.of_type("InvoiceChanged")
            if event["data"]["netsuite_id"] == invoice_id and event["data"]["memo"] == memo]


async def test_changed_invoices_arrive_with_all_their_lines(connected):
    user, watcher = connected["user"], connected["watcher"]
    first, second, late = (row["id"] for row in await untouched_invoices(user, 3))
    await asyncio.gather(
        user.records.update("invoice", first, {"memo": "six", **lines_of(6, "six")}, replace=["item"]),
        user.records.update("invoice", second, {"memo": "three", **lines_of(3, "three")}, replace=["item"]))
    six = [Decimal(10 + index) for index in range(6)]
    await watcher.wait_for(lambda w: six in amounts(w, first, "six") and six[:3] in amounts(w, second, "three"),
                           timeout_s=10, message="both invoices with all their lines")
    assert all(found == six for found in amounts(watcher, first, "six"))

    # A change committed late: modified before the newest change already published (the cursor is
    # moved on instead of the emulator's clock back), inside the overlap window, whose rows are read
    # without their lines.
    pool, tenant = connected["pool"], connected["tenant"]
    high_water = await pool.fetchval("SELECT high_water FROM sync_cursor WHERE tenant_id = $1 AND stream = 'invoices'",
                                     tenant)
    await pool.execute("UPDATE sync_cursor SET high_water = $3 WHERE tenant_id = $1 AND stream = $2", tenant,
                       "invoices", clock.shift(high_water, 15))
    await user.records.update("invoice", late, {"memo": "late", **lines_of(5, "late")}, replace=["item"])
    await watcher.wait_for(lambda w: amounts(w, late, "late"), timeout_s=10, message="the late change")
    assert amounts(watcher, late, "late") == [six[:5]]
