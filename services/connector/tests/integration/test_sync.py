"""R17 and incremental polling against the emulator over HTTP, events read back from the broker."""
from __future__ import annotations

import asyncio
import hashlib
from decimal import Decimal

import httpx
import pytest
from contracts import topics
from netsuite_client import NetSuiteClient
from netsuite_client.testing import tenant_config_for_emulator, untouched_invoices

from connector.testing import (ADMIN_TOKEN, TopicWatcher, connect_through_form, internal_headers, running_connector,
                               until_connected, wait_for_status)

SEED = {"customers": 6, "invoices": 60, "months": 30, "random_seed": 11}
NETSUITE_TOPICS = [topics.NETSUITE_INVOICES, topics.NETSUITE_CUSTOMERS, topics.NETSUITE_PAYMENTS,
                   topics.NETSUITE_INVOICE_PDFS, topics.NETSUITE_SETUP, topics.ACTION_ITEMS]
COUNTS = {
    "CustInvc": "SELECT COUNT(*) AS n FROM transaction WHERE type = 'CustInvc'",
    "CustPymt": "SELECT COUNT(*) AS n FROM transaction WHERE type = 'CustPymt'",
    "CustCred": "SELECT COUNT(*) AS n FROM transaction WHERE type = 'CustCred'",
    "Deposit": "SELECT COUNT(*) AS n FROM transaction WHERE type = 'Deposit'",
    "customer": "SELECT COUNT(*) AS n FROM customer",
}


def ids(watcher: TopicWatcher, *event_types: str, reason: str | None = None) -> set[str]:
    return {event["data"]["netsuite_id"] for event in watcher.events if event["event_type"] in event_types
            and (reason is None or event["data"].get("reason") == reason)}


async def suiteql_count(user: NetSuiteClient, query: str) -> int:
    return int((await user.suiteql.query_page(query, limit=1)).items[0]["n"])


@pytest.fixture
async def connected(ns, make_settings, callback_port, kafka_bootstrap, unique):
    """A seeded account, a running connector and a tenant whose initial sync finished."""
    account = ns.create_account(seed=SEED)
    tenant = f"t-{unique}"
    user = NetSuiteClient(tenant_config_for_emulator(ns.url, account))  # a NetSuite user (TBA)
    async with running_connector(make_settings(), callback_port) as (url, app), \
            TopicWatcher(kafka_bootstrap, NETSUITE_TOPICS, tenant) as watcher:
        page = await connect_through_form(url, tenant, account["account_id"])
        assert page.status_code == 200, page.text
        state = await until_connected(url, tenant)
        yield {"url": url, "app": app, "tenant": tenant, "account": account, "user": user, "watcher": watcher,
               "state": state}
    await user.aclose()


async def test_initial_sync_publishes_exactly_the_records_suiteql_counts(connected, ns):
    user, watcher, state = connected["user"], connected["watcher"], connected["state"]
    expected = {kind: await suiteql_count(user, query) for kind, query in COUNTS.items()}
    await watcher.wait_for(lambda w: len(ids(w, "InvoiceChanged", "InvoiceArchived")) >= expected["CustInvc"],
                           message="every invoice")
    await watcher.wait_for(lambda w: len(ids(w, "DepositChanged")) >= expected["Deposit"], message="deposits")
    assert len(ids(watcher, "InvoiceChanged", "InvoiceArchived") - ids(watcher, "InvoiceArchived", reason="deleted")) \
        == expected["CustInvc"]
    assert len(ids(watcher, "CustomerChanged")) == expected["customer"]
    assert len(ids(watcher, "CustomerPaymentChanged")) == expected["CustPymt"]
    assert len(ids(watcher, "CreditMemoChanged")) == expected["CustCred"]
    assert len(ids(watcher, "DepositChanged")) == expected["Deposit"]
    progress = state["initial_sync"]
    assert progress["phase"] == "done" and progress["eta_seconds"] == 0
    assert progress["invoices_synced"] == progress["invoices_total"] == expected["CustInvc"]
    assert progress["customers_synced"] == expected["customer"]
    invoice = watcher.of_type("InvoiceChanged")[0]["data"]
    assert invoice["lines"] and invoice["currency"] in ("USD", "EUR", "GBP", "CAD")
    statuses = await watcher.wait_for(  # the status API may say connected before the relay publishes it
        lambda w: [e["data"]["status"] for e in w.of_type("ConnectionChanged")][-1:] == ["connected"]
        and [e["data"]["status"] for e in w.of_type("ConnectionChanged")], message="ConnectionChanged connected")
    assert statuses[0] == "pending" and statuses[-1] == "connected"


async def test_recent_invoice_pdfs_are_fetched_once(connected, ns):
    watcher, account_id = connected["watcher"], connected["account"]["account_id"]
    await wait_for_status(connected["url"], connected["tenant"], lambda state: state["pdfs_pending"] == 0,
                          timeout_s=30, message="every recent PDF fetched")
    calls = lambda: ns.stats(account_id)["requests"].get("GET restlet:customscript_sb_invoice_pdf", 0)  # noqa: E731
    fetched = calls()
    await watcher.wait_for(lambda w: len(w.of_type("InvoicePdfFetched")) == fetched - 1,  # - the prerequisite probe
                           message="one PDF event per fetch")
    assert fetched > 1
    pdf = watcher.of_type("InvoicePdfFetched")[0]["data"]
    assert pdf["size"] > 500 and pdf["content_type"] == "application/pdf" and "content_base64" not in pdf
    async with httpx.AsyncClient(base_url=connected["app"].state.internal_url) as internal:  # by reference
        served = await internal.get(pdf["location"], headers=internal_headers())
        refused = await internal.get(pdf["location"], headers={"authorization": f"Bearer {ADMIN_TOKEN}"})
    assert served.status_code == 200 and hashlib.sha256(served.content).hexdigest() == pdf["sha256"]
    assert len(served.content) == pdf["size"] and served.content.startswith(b"%PDF") and refused.status_code == 401
    invoice_id = pdf["netsuite_id"]
    await connected["user"].records.update("invoice", invoice_id, {"memo": "changed: fetch the PDF again"})
    await watcher.wait_for(lambda w: len([e for e in w.of_type("InvoicePdfFetched")
                                          if e["data"]["netsuite_id"] == invoice_id]) == 2,
                           timeout_s=10, message="the changed invoice's new PDF")
    assert calls() == fetched + 1


async def open_invoice(user: NetSuiteClient) -> dict:
    return (await untouched_invoices(user, 1))[0]  # a payment and a credit go on it: nothing applied yet


async def test_each_kind_of_change_arrives_within_one_poll(connected, ns):
    user, watcher = connected["user"], connected["watcher"]
    invoice = await open_invoice(user)
    invoice_id = invoice["id"]

    await user.records.update("invoice", invoice_id, {"dueDate": "2031-01-31", "memo": "moved"})
    await watcher.wait_for(lambda w: any(e["data"]["netsuite_id"] == invoice_id and e["data"]["due_on"] == "2031-01-31"
                                         for e in w.of_type("InvoiceChanged")), timeout_s=5, message="invoice edit")

    payment_id = await user.records.create("customerpayment", {
        "customer": {"id": invoice["entity"]}, "payment": 1.0, "externalId": f"sb-pay-{invoice_id}",
        "apply": {"items": [{"doc": {"id": invoice_id}, "apply": True, "amount": 1.0}]}})
    paid = await watcher.wait_for(lambda w: [e for e in w.of_type("CustomerPaymentChanged")
                                             if e["data"]["netsuite_id"] == payment_id], timeout_s=5, message="payment")
    assert paid[0]["data"]["applications"] == [{"invoice_netsuite_id": invoice_id, "amount": "1.00"}]
    assert paid[0]["data"]["echo"] is True

    credit_id = await user.records.create("creditmemo", {
        "entity": {"id": invoice["entity"]}, "item": {"items": [{"item": {"id": "11"}, "quantity": 1, "rate": 2.0}]},
        "apply": {"items": [{"doc": {"id": invoice_id}, "apply": True, "amount": 2.0}]}})
    credited = await watcher.wait_for(lambda w: [e for e in w.of_type("CreditMemoChanged")
                                                 if e["data"]["netsuite_id"] == credit_id], timeout_s=5, message="credit")
    assert credited[0]["data"]["applications"][0]["amount"] == "2.00"
    remaining = Decimal(invoice["foreignamountunpaid"]) - Decimal("3.00")
    await watcher.wait_for(lambda w: any(e["data"]["netsuite_id"] == invoice_id and
                                         Decimal(e["data"]["amount_remaining"]) == remaining
                                         for e in w.of_type("InvoiceChanged")), timeout_s=5, message="balance")

    deposit_id = await user.records.create("deposit", {
        "account": {"id": "1"}, "payment": {"items": [{"id": payment_id, "deposit": True}]}})
    deposited = await watcher.wait_for(lambda w: [e for e in w.of_type("DepositChanged")
                                                  if e["data"]["netsuite_id"] == deposit_id], timeout_s=5, message="deposit")
    assert deposited[0]["data"]["payment_netsuite_ids"] == [payment_id]

    doomed = await user.records.create("invoice", {
        "entity": {"id": invoice["entity"]}, "item": {"items": [{"item": {"id": "11"}, "quantity": 1, "rate": 5.0}]}})
    await watcher.wait_for(lambda w: doomed in ids(w, "InvoiceChanged"), timeout_s=5, message="new invoice")
    await user.records.delete("invoice", doomed)
    await watcher.wait_for(lambda w: doomed in ids(w, "InvoiceArchived", reason="deleted"), timeout_s=5,
                           message="delete")

    voided = await user.records.create("invoice", {
        "entity": {"id": invoice["entity"]}, "item": {"items": [{"item": {"id": "11"}, "quantity": 1, "rate": 5.0}]}})
    ns.void_invoice(connected["account"]["account_id"], voided)
    await watcher.wait_for(lambda w: voided in ids(w, "InvoiceArchived", reason="voided"), timeout_s=5,
                           message="void")


async def test_two_changes_in_the_same_second_both_arrive(connected):
    user, watcher = connected["user"], connected["watcher"]
    first, second = (row["id"] for row in await untouched_invoices(user, 2))
    await asyncio.gather(user.records.update("invoice", first, {"memo": "same second A"}),
                         user.records.update("invoice", second, {"memo": "same second B"}))
    await user.records.update("invoice", first, {"memo": "same second A2"})  # same record, same second
    memos = lambda w: {(e["data"]["netsuite_id"], e["data"]["memo"]) for e in w.of_type("InvoiceChanged")}  # noqa: E731
    await watcher.wait_for(lambda w: {(first, "same second A2"), (second, "same second B")} <= memos(w),
                           timeout_s=5, message="both same-second changes")
