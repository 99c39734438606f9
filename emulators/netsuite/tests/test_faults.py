"""Governance and injected faults: concurrency 429, latency, errors, ambiguous writes, stats."""

import asyncio
import time

import httpx
import pytest

PDF_PARAMS = {"script": "customscript_sb_invoice_pdf", "deploy": "customdeploy_sb_invoice_pdf"}


async def test_concurrency_limit_answers_429_at_once(emulator, credentials, tba):
    account_id = credentials["account_id"]
    emulator.patch_account(account_id, concurrency_limit=3, latency_ms=600)
    emulator.reset_stats(account_id)
    rest = emulator.rest_base(account_id)
    async with httpx.AsyncClient(auth=tba(credentials), timeout=30) as client:
        calls = [client.get(f"{rest}/record/v1/customer") for _ in range(3)]
        calls += [client.post(f"{rest}/query/v1/suiteql", json={"q": "SELECT id FROM currency"}) for _ in range(2)]
        calls += [client.get(emulator.restlet_url(account_id), params={**PDF_PARAMS, "id": "101"})]
        started = time.monotonic()
        responses = await asyncio.gather(*calls)
    statuses = sorted(response.status_code for response in responses)
    restlet = responses[-1]
    # RESTlets over the limit answer 400 SSS_REQUEST_LIMIT_EXCEEDED in SuiteScript's error body, REST 429.
    assert statuses.count(200) == 3 and statuses.count(429) + (restlet.status_code == 400) == 3
    if restlet.status_code == 400:
        assert restlet.json()["error"]["code"] == "SSS_REQUEST_LIMIT_EXCEEDED"
    rejected = [response for response in responses if response.status_code in (400, 429)]
    assert all(response.elapsed.total_seconds() < 0.5 for response in rejected)
    rest_rejected = [response for response in rejected if response.status_code == 429]
    assert rest_rejected[0].json()["status"] == 429 and rest_rejected[0].json()["o:errorDetails"][0]["o:errorCode"]
    assert time.monotonic() - started < 5
    stats = emulator.stats(account_id)
    assert stats["max_in_flight"] == 3 and stats["status_counts"]["429"] == statuses.count(429)
    assert stats["requests"]["GET /record/v1/customer"] >= 1 and "POST /query/v1/suiteql" in stats["requests"]
    assert "GET restlet:customscript_sb_invoice_pdf" in stats["requests"]


def test_latency(emulator, ns):
    emulator.patch_account(ns.account_id, latency_ms=300, latency_jitter_ms=50)
    started = time.monotonic()
    assert ns.get("/record/v1/currency").status_code == 200
    assert time.monotonic() - started >= 0.25


def test_error_rate_fails_before_doing_anything(emulator, ns):
    emulator.patch_account(ns.account_id, error_rate=1.0)
    before = emulator.get_account(ns.account_id)["records"]["customer"]
    responses = [ns.request("POST", "/record/v1/customer", json={"companyName": f"X {index}"}) for index in range(6)]
    assert {response.status_code for response in responses} <= {500, 503}
    assert all(response.json()["o:errorDetails"][0]["o:errorCode"] in ("UNEXPECTED_ERROR", "SERVICE_UNAVAILABLE")
               for response in responses)
    assert emulator.get_account(ns.account_id)["records"]["customer"] == before


def test_ambiguous_write_commits_then_fails_with_500(emulator, ns):
    emulator.patch_account(ns.account_id, ambiguous_write_rate=1.0, ambiguous_write_mode="500")
    body = {"companyName": "Ambiguous Ltd", "externalId": "amb-1"}
    response = ns.request("POST", "/record/v1/customer", json=body)
    assert response.status_code == 500
    assert response.json()["o:errorDetails"][0]["o:errorCode"] == "UNEXPECTED_ERROR"
    emulator.patch_account(ns.account_id, ambiguous_write_rate=0.0)
    assert ns.get("/record/v1/customer/eid:amb-1").json()["companyName"] == "Ambiguous Ltd"
    retry = ns.request("POST", "/record/v1/customer", json=body)
    assert retry.json()["o:errorDetails"][0]["detail"].endswith("This entity already exists.")


def test_ambiguous_write_can_drop_the_connection(emulator, ns):
    emulator.patch_account(ns.account_id, ambiguous_write_rate=1.0, ambiguous_write_mode="drop")
    with pytest.raises(httpx.TransportError):
        ns.request("POST", "/record/v1/customer", json={"companyName": "Dropped Ltd", "externalId": "drop-1"})
    emulator.patch_account(ns.account_id, ambiguous_write_rate=0.0)
    assert ns.get("/record/v1/customer/eid:drop-1").status_code == 200
    assert emulator.stats(ns.account_id)["status_counts"]["dropped"] == 1


def test_reads_are_never_ambiguous(emulator, ns):
    emulator.patch_account(ns.account_id, ambiguous_write_rate=1.0, ambiguous_write_mode="500")
    assert ns.get("/record/v1/customer").status_code == 200
    assert ns.suiteql("SELECT id FROM currency")["count"] == 4


def test_stats_templates_and_reset(emulator, ns):
    emulator.reset_stats(ns.account_id)
    invoice_id = ns.get("/record/v1/invoice").json()["items"][0]["id"]
    ns.get(f"/record/v1/invoice/{invoice_id}")
    ns.get(f"/record/v1/invoice/{invoice_id}")
    ns.get("/record/v1/invoice/999999")
    stats = emulator.stats(ns.account_id)
    assert stats["requests"] == {"GET /record/v1/invoice": 1, "GET /record/v1/invoice/{id}": 3}
    assert stats["status_counts"] == {"200": 3, "404": 1}
    assert stats["records"]["invoice"] == 30 and stats["records"]["customer"] == 6
    emulator.reset_stats(ns.account_id)
    assert emulator.stats(ns.account_id)["requests"] == {}
