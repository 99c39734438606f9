"""Bad input from NetSuite becomes a per-record sync error in the status; the other records go on.

A transport between the connector and the emulator spoils what NetSuite answers for three
invoices: an unknown currency, a malformed amount, and lines the role cannot read.
"""
from __future__ import annotations

import json
import re

import httpx
from contracts import topics
from netsuite_client import NetSuiteClient
from netsuite_client.testing import tenant_config_for_emulator

from connector.testing import TopicWatcher, connect_through_form, running_connector, until_connected, wait_for_status


class SpoilingTransport(httpx.AsyncBaseTransport):
    def __init__(self, bad_currency: str, malformed: str, unreadable: str):
        self.inner = httpx.AsyncHTTPTransport()
        self.bad_currency, self.malformed, self.unreadable = bad_currency, malformed, unreadable
        self.enabled = True

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        query = json.loads(request.content or b"{}").get("q", "") if request.url.path.endswith("/suiteql") else ""
        if self.enabled and "FROM transactionline" in query and "tl.item" in query and \
                self.unreadable in re.search(r"IN \(([^)]*)\)", query).group(1).split(", "):
            body = {"type": "https://www.rfc-editor.org/rfc/rfc9110.html#section-15.5.1", "title": "Bad Request",
                    "status": 400, "o:errorDetails": [{"detail": "Invalid search query. Detailed unprocessed "
                    "description follows. Search error occurred: Record 'transactionline' was not found.",
                    "o:errorCode": "INVALID_PARAMETER"}]}
            return httpx.Response(400, json=body)
        response = await self.inner.handle_async_request(request)
        if not query or not self.enabled:
            return response
        await response.aread()
        document = json.loads(response.content)
        for row in document.get("items", []):
            if row.get("id") == self.bad_currency and "currency_code" in row:
                row["currency_code"] = "US$"
            if row.get("document_id") == self.malformed and "foreignamount" in row:
                row["foreignamount"] = "12,50"
        return httpx.Response(response.status_code, headers={"content-type": "application/json"}, json=document)

    async def aclose(self) -> None:
        await self.inner.aclose()


async def test_bad_records_become_sync_errors_and_the_rest_syncs(ns, make_settings, callback_port, unique,
                                                                 kafka_bootstrap):
    account = ns.create_account(seed={"customers": 4, "invoices": 30, "months": 6, "random_seed": 9})
    tenant = f"t-{unique}"
    async with NetSuiteClient(tenant_config_for_emulator(ns.url, account)) as user:
        rows = await user.suiteql.query_all("SELECT id FROM transaction WHERE type = 'CustInvc' AND voided = 'F' "
                                            "ORDER BY id")
        bad_currency, malformed, unreadable = (row["id"] for row in rows[3:6])
        spoiler = SpoilingTransport(bad_currency, malformed, unreadable)
        http = httpx.AsyncClient(transport=spoiler, timeout=30)
        async with running_connector(make_settings(pdf_initial_scope="none"), callback_port, http=http) as (url, _), \
                TopicWatcher(kafka_bootstrap, [topics.NETSUITE_INVOICES, topics.ACTION_ITEMS], tenant) as watcher:
            await connect_through_form(url, tenant, account["account_id"])
            state = await until_connected(url, tenant, timeout_s=30)
            errors = {item["netsuite_id"]: item["message"] for item in state["action_items"]
                      if item["kind"] == "sync_error"}
            assert set(errors) == {bad_currency, malformed, unreadable}, state["action_items"]
            assert "unknown currency 'US$'" in errors[bad_currency]
            assert "not a number" in errors[malformed]
            assert "Record 'transactionline' was not found" in errors[unreadable]
            assert errors[bad_currency].startswith(f"NetSuite invoice {bad_currency} could not be synced")
            synced = lambda w: {e["data"]["netsuite_id"] for e in w.of_type("InvoiceChanged")}  # noqa: E731
            expected = {row["id"] for row in rows} - {bad_currency, malformed, unreadable}
            await watcher.wait_for(lambda w: synced(w) >= expected, message="the good invoices")
            assert not synced(watcher) & {bad_currency, malformed, unreadable}
            raised = await watcher.wait_for(lambda w: w.of_type("ActionItemRaised"), message="raised items")
            assert {e["data"]["netsuite_id"] for e in raised} >= {bad_currency, malformed, unreadable}

            spoiler.enabled = False  # NetSuite answers properly again, and the invoice changes
            await user.records.update("invoice", bad_currency, {"memo": "fixed"})
            await watcher.wait_for(lambda w: bad_currency in synced(w), timeout_s=10, message="the fixed invoice")
            open_ids = lambda state: {item.get("netsuite_id") for item in state["action_items"]}  # noqa: E731
            state = await wait_for_status(url, tenant, lambda state: bad_currency not in open_ids(state),
                                          timeout_s=10, message="the fixed invoice's action item to resolve")
            assert malformed in open_ids(state)
