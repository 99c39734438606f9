"""Drift repair (issue 14, architecture §3): changes the cursor cannot see — a NetSuite save that
commits later than the overlap window — are found by the sweep of open invoices and re-published."""
from __future__ import annotations

from decimal import Decimal

import httpx
import pytest
from connector.testing import (
    TopicWatcher,
    connect_through_form,
    running_connector,
    until_connected,
    wait_for_status,
)
from contracts import topics
from netsuite_client import NetSuiteClient
from netsuite_client.testing import tenant_config_for_emulator, untouched_invoices

SEED = {"customers": 4, "invoices": 30, "months": 6, "random_seed": 23}
LATE_S = 900  # far beyond the overlap window the tests' connector re-reads (30 s)


def versions_of(watcher: TopicWatcher, invoice_id: str) -> list[dict]:
    return [event["data"] for event in watcher.of_type("InvoiceChanged") if event["data"]["netsuite_id"] == invoice_id]


async def pay(user: NetSuiteClient, invoice: dict, amount: str) -> None:
    await user.records.create("customerpayment", {
        "customer": {"id": invoice["entity"]}, "payment": amount,
        "apply": {"items": [{"doc": {"id": invoice["id"]}, "apply": True, "amount": amount}]}})


@pytest.fixture
async def connected(ns, make_settings, callback_port, kafka_bootstrap, unique):
    account = ns.create_account(seed=SEED)
    tenant = f"t-{unique}"
    user = NetSuiteClient(tenant_config_for_emulator(ns.url, account))
    settings = make_settings(drift_sweep_interval_s=0.5)
    async with running_connector(settings, callback_port) as (url, _app), \
            TopicWatcher(kafka_bootstrap, [topics.NETSUITE_INVOICES], tenant) as watcher:
        page = await connect_through_form(url, tenant, account["account_id"])
        assert page.status_code == 200, page.text
        await until_connected(url, tenant)
        yield {"url": url, "tenant": tenant, "account": account, "user": user, "watcher": watcher}
    await user.aclose()


async def test_a_late_committed_payment_reaches_the_platform_through_the_sweep(connected, ns):
    user, watcher, url, tenant = connected["user"], connected["watcher"], connected["url"], connected["tenant"]
    partly, fully, edited = await untouched_invoices(user, 3)
    for invoice in (partly, fully):
        await watcher.wait_for(lambda w, i=invoice["id"]: versions_of(w, i), message=f"invoice {invoice['id']} synced")
    # A change seen now moves the cursor to NetSuite's present; saves stamped LATE_S earlier are behind it.
    await user.records.update("invoice", edited["id"], {"memo": "the cursor is here now"})
    await watcher.wait_for(lambda w: any(v["memo"] == "the cursor is here now" for v in versions_of(w, edited["id"])),
                           message="the cursor moved on")
    ns.patch_account(connected["account"]["account_id"], commit_lag_s=LATE_S)

    await pay(user, partly, "5.00")
    await pay(user, fully, fully["foreignamountunpaid"])

    expected = Decimal(partly["foreignamountunpaid"]) - Decimal("5.00")
    await watcher.wait_for(lambda w: any(Decimal(v["amount_remaining"]) == expected for v in versions_of(w, partly["id"])),
                           timeout_s=30, message="the partly paid invoice's new balance")
    await watcher.wait_for(lambda w: any(Decimal(v["amount_remaining"]) == 0 for v in versions_of(w, fully["id"])),
                           timeout_s=30, message="the invoice paid in full")
    state = await wait_for_status(url, tenant, lambda s: (s["drift"] or {}).get("repaired_total", 0) >= 2,
                                  timeout_s=30, message="the repairs counted")
    assert state["drift"]["last_finished_at"] is not None
    async with httpx.AsyncClient() as http:
        metrics = (await http.get(f"{url}/metrics")).text
    repaired = sum(float(line.split()[-1]) for line in metrics.splitlines()
                   if line.startswith("sb_drift_repaired_total{"))
    assert repaired >= 2


async def test_a_sweep_of_an_account_in_step_republishes_nothing(connected, ns):
    user, watcher, url, tenant = connected["user"], connected["watcher"], connected["url"], connected["tenant"]
    invoices = int((await user.suiteql.query_page(
        "SELECT COUNT(*) AS n FROM transaction WHERE type = 'CustInvc'", limit=1)).items[0]["n"])
    await watcher.wait_for(lambda w: len({e["data"]["netsuite_id"] for e in w.events}) >= invoices,
                           message="every invoice of the initial sync")
    state = await wait_for_status(url, tenant, lambda s: s["drift"] and s["drift"]["last_finished_at"]
                                  and not s["drift"]["running"] and s["drift"]["checked"],
                                  timeout_s=30, message="a finished sweep that compared open invoices")
    published = len(watcher.events)
    before = state["drift"]["last_finished_at"]
    state = await wait_for_status(url, tenant, lambda s: s["drift"]["last_finished_at"] != before
                                  and not s["drift"]["running"], timeout_s=30, message="another whole sweep")
    assert state["drift"]["repaired_total"] == 0 and state["drift"]["repaired"] == 0
    assert len(watcher.events) == published
