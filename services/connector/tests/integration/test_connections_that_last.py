"""Connections that last (issue 20): connect with a TBA token set, the refresh-token expiry in the status,
the reminder before it (the connector's clock moved forward, never slept on) and a plain status after it."""
from __future__ import annotations

import datetime as dt
import re
from html import escape

import httpx
from netsuite_client import NetSuiteClient, UnlimitedBudget
from netsuite_client.testing import tenant_config_for_emulator
from sb_runtime.testing import wait_until
from sb_writeback.access import ConnectorCredentials
from sb_writeback.clients import NetSuiteClients, create_once

from contracts import topics
from connector import expiry, timefmt
from connector.dashboard import COOKIE
from connector.testing import (
    ADMIN_TOKEN, INTERNAL_TOKEN, AdjustableClock, TopicWatcher, admin_headers, connect_through_form,
    connect_with_tba, internal_headers, running_connector, status,
)

SEED = {"customers": 3, "invoices": 8, "months": 6, "random_seed": 11}
WEEK = dt.timedelta(days=7)


def utc(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text.replace("Z", "+00:00"))


async def stored(app, tenant: str):
    async with app.state.shell.pool.acquire() as connection:
        return await connection.fetchrow(
            "SELECT kind, access_token, refresh_token, tba_credentials, refresh_expires_at FROM connection_token "
            "WHERE tenant_id = $1", tenant)


async def test_a_tba_tenant_connects_syncs_and_never_needs_to_reconnect(ns, make_settings, callback_port, unique,
                                                                        kafka_bootstrap):
    account = ns.create_account(seed=SEED)
    tenant, clock = f"t-{unique}", AdjustableClock()
    async with running_connector(make_settings(), callback_port, clock=clock) as (url, app), \
            TopicWatcher(kafka_bootstrap, [topics.NETSUITE_INVOICES], tenant) as watcher:
        answer = await connect_with_tba(url, tenant, account)
        assert answer.status_code == 200, answer.text
        assert answer.json()["status"] in ("pending", "connected")
        assert answer.json()["credentials"] == {"kind": "tba", "refresh_expires_at": None}
        for secret in (account["tba"]["token_secret"], account["tba"]["consumer_secret"]):
            assert secret not in answer.text  # never echoed back

        async def synced():
            state = await status(url, tenant)
            sync = state["initial_sync"] or {}
            return state if state["status"] == "connected" and sync.get("phase") == "done" else None

        state = await wait_until(synced, 120, message="the TBA tenant's initial sync")
        assert state["initial_sync"]["invoices_synced"] == state["initial_sync"]["invoices_total"] > 0
        assert state["last_error"] is None
        published = await watcher.wait_for(lambda w: w.of_type("InvoiceChanged"), message="invoices published")
        assert {event["data"]["netsuite_id"] for event in published}

        row = await stored(app, tenant)
        assert row["kind"] == "tba" and row["access_token"] is None and row["refresh_expires_at"] is None
        assert account["tba"]["token_secret"].encode() not in bytes(row["tba_credentials"])  # encrypted at rest

        clock.advance(days=30)
        assert await expiry.check(app.state.shell.deps) == 0  # TBA tokens do not expire: no reminder, no stop
        later = await status(url, tenant)
        assert later["status"] == "connected" and later["action_items"] == []


async def test_wrong_tba_credentials_are_refused_with_netsuites_reason_and_nothing_is_stored(
        ns, make_settings, callback_port, unique):
    account = ns.create_account(seed=SEED)
    tenant = f"t-{unique}"
    async with running_connector(make_settings(), callback_port) as (url, app):
        answer = await connect_with_tba(url, tenant, account, token_secret="not-the-secret")
        assert answer.status_code == 422, answer.text
        error = answer.json()["error"]
        assert error["code"] == "netsuite_refused_credentials"
        assert account["account_id"] in error["message"] and "Invalid login" in error["message"]
        assert "not-the-secret" not in answer.text

        malformed = await connect_with_tba(url, tenant, account, account_id="12 34; DROP")
        assert malformed.status_code == 422
        assert malformed.json()["error"]["code"] == "invalid_credentials"

        assert await stored(app, tenant) is None
        assert (await status(url, tenant))["status"] == "not_connected"


async def test_write_back_gets_a_tba_set_from_the_connector_and_writes_a_payment_with_it(
        ns, make_settings, callback_port, unique):
    account = ns.create_account(seed={"customers": 3, "invoices": 0, "random_seed": 1})
    tenant = f"t-{unique}"
    partner = NetSuiteClient(tenant_config_for_emulator(ns.url, account), budget=UnlimitedBudget())
    async with running_connector(make_settings(), callback_port) as (url, app), \
            httpx.AsyncClient(timeout=30) as http:
        assert (await connect_with_tba(url, tenant, account)).status_code == 200
        internal = app.state.internal_url  # write-back's side of the connector (decision 0004)
        answer = await http.get(f"{internal}/internal/tenants/{tenant}/netsuite/credentials",
                                headers=internal_headers())
        assert answer.status_code == 200, answer.text
        assert answer.json()["kind"] == "tba" and answer.json()["access_token"] is None

        invoice_id = await partner.records.create("invoice", {
            "entity": {"id": "1"}, "item": {"items": [{"item": {"id": "1"}, "quantity": 1, "rate": 250.0}]}})
        clients = NetSuiteClients(ConnectorCredentials(http, internal, INTERNAL_TOKEN), http,
                                  lambda tenant_key, limit: UnlimitedBudget())
        client, access = await clients.for_tenant(tenant)
        assert access.tba is not None and access.account_id == account["account_id"]
        body = {"customer": {"id": "1"}, "payment": 100.0, "undepFunds": True, "memo": f"sb {tenant}",
                "apply": {"items": [{"doc": {"id": invoice_id}, "line": 0, "apply": True, "amount": 100.0}]}}
        payment_id = await create_once(client, "customerpayment", f"sb-payment-{tenant}", body)

        payment = await partner.records.get("customerpayment", payment_id)
        assert payment["externalId"] == f"sb-payment-{tenant}"
        assert (await partner.records.get("invoice", invoice_id))["amountRemaining"] == 150.0
    await partner.aclose()


async def test_an_oauth_connection_shows_its_expiry_is_reminded_before_it_and_stops_plainly_after_it(
        ns, make_settings, callback_port, unique):
    account = ns.create_account(seed=SEED)
    account_id, tenant, clock = account["account_id"], f"t-{unique}", AdjustableClock()
    settings = make_settings(credentials_check_interval_s=0.1)
    async with running_connector(settings, callback_port, clock=clock) as (url, app), \
            httpx.AsyncClient(base_url=url, headers=admin_headers(), timeout=30) as api:
        connected_at = clock.now()
        await connect_through_form(url, tenant, account_id)
        credentials = (await status(url, tenant))["credentials"]
        assert credentials["kind"] == "oauth2"
        expires_at = utc(credentials["refresh_expires_at"])
        assert abs(expires_at - (connected_at + WEEK)) < dt.timedelta(minutes=1)
        assert abs((await stored(app, tenant))["refresh_expires_at"] - expires_at) < dt.timedelta(seconds=1)

        async def reminder():
            items = (await status(url, tenant))["action_items"]
            return next((item for item in items if item["kind"] == "reconnect_netsuite"), None)

        assert await reminder() is None  # a week ahead: nothing to do yet
        async with httpx.AsyncClient(base_url=url, cookies={COOKIE: ADMIN_TOKEN}) as browser:
            dashboard = await browser.get("/dashboard", params={"tenant": tenant})
        shown = timefmt.local(credentials["refresh_expires_at"], (await status(url, tenant)).get("timezone"))
        assert f"reconnect before <b id='reconnect-before'>{escape(shown)}</b>" in dashboard.text
        clock.advance(days=5, hours=1)
        item = await wait_until(reminder, 30, message="the reconnect reminder")
        assert item["message"].startswith(f"Reconnect NetSuite before {expiry.when(expires_at)}")
        assert account_id in item["message"]
        assert (await status(url, tenant))["status"] in ("pending", "connected")  # still syncing

        clock.advance(days=2)

        async def stopped():
            state = await status(url, tenant)
            return state if state["status"] == "error" else None

        state = await wait_until(stopped, 30, message="the stop after expiry")
        assert state["last_error"] == (f"The NetSuite authorization for account {account_id} expired on "
                                       f"{expiry.when(expires_at)}. Reconnect from the dashboard.")
        refused = await api.get(f"{app.state.internal_url}/internal/tenants/{tenant}/netsuite/credentials",
                                headers=internal_headers())
        assert refused.status_code == 409 and refused.json()["error"]["code"] == "reconnect_required"

        reconnected_at = clock.now()
        page = await connect_through_form(url, tenant, account_id)
        assert page.status_code == 200, page.text
        state = await status(url, tenant)
        assert state["status"] in ("pending", "connected")
        assert abs(utc(state["credentials"]["refresh_expires_at"]) - (reconnected_at + WEEK)) < dt.timedelta(minutes=1)
        assert await reminder() is None  # resolved by the reconnect


async def test_the_dashboard_offers_both_ways_and_connects_with_a_tba_form(ns, make_settings, callback_port, unique):
    account = ns.create_account(seed=SEED)
    tenant, tba_set = f"t-{unique}", account["tba"]
    form = {"account_id": account["account_id"], **tba_set}
    async with running_connector(make_settings(), callback_port) as (url, _), \
            httpx.AsyncClient(base_url=url, cookies={COOKIE: ADMIN_TOKEN}, timeout=60) as browser:
        page = (await browser.get("/dashboard", params={"tenant": tenant})).text
        assert "Connect with OAuth 2.0" in page and 'id="connect-tba"' in page
        form["csrf"] = re.search(r"name='csrf' value='([^']+)'", page).group(1)  # the dashboard's own form
        browser.headers["Origin"] = url

        refused = await browser.post("/dashboard/tba", params={"tenant": tenant},
                                     data={**form, "token_secret": "wrong-secret-value"})
        assert refused.status_code == 422
        assert "refused the TBA credentials" in refused.text and "wrong-secret-value" not in refused.text

        accepted = await browser.post("/dashboard/tba", params={"tenant": tenant}, data=form)
        assert accepted.status_code == 303, accepted.text
        state = await status(url, tenant)
        assert state["credentials"]["kind"] == "tba" and state["status"] in ("pending", "connected")
        page = (await browser.get("/dashboard", params={"tenant": tenant})).text
        assert "it does not expire" in page and tba_set["token_secret"] not in page
