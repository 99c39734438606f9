"""R16 end to end: the emulator's real authorize form, the callback, tokens, prerequisites."""
from __future__ import annotations

import httpx
import pytest

from connector.testing import admin_headers, connect_through_form, running_connector, status

SEED = {"customers": 4, "invoices": 12, "months": 18, "random_seed": 5}


async def test_connect_flow_through_the_authorize_form_starts_the_sync(ns, make_settings, callback_port, unique):
    account = ns.create_account(seed=SEED)
    tenant = f"t-{unique}"
    async with running_connector(make_settings(), callback_port) as (url, app):
        page = await connect_through_form(url, tenant, account["account_id"])
        assert page.status_code == 200, page.text
        assert f"NetSuite account {account['account_id']} is connected" in page.text
        state = await status(url, tenant)
        assert state["status"] in ("pending", "connected")
        assert state["account_id"] == account["account_id"]
        assert state["timezone"] == "America/Los_Angeles"
        async with app.state.shell.pool.acquire() as connection:
            row = await connection.fetchrow("SELECT access_token, refresh_token FROM connection_token WHERE tenant_id = $1",
                                            tenant)
        assert b"eyJ" not in bytes(row["access_token"])  # encrypted at rest, not the JWT
        assert ns.stats(account["account_id"])["requests"]["POST /auth/oauth2/v1/token"] == 1


async def test_state_is_single_use(ns, make_settings, callback_port, unique):
    account = ns.create_account(seed=SEED)
    tenant = f"t-{unique}"
    async with running_connector(make_settings(), callback_port) as (url, _):
        first = await connect_through_form(url, tenant, account["account_id"])
        assert first.status_code == 200
        async with httpx.AsyncClient() as browser:
            replay = await browser.get(str(first.request.url))
        assert replay.status_code == 400
        assert "expired or was already used" in replay.text


async def test_denied_consent_is_reported_and_nothing_connects(ns, make_settings, callback_port, unique):
    account = ns.create_account(seed=SEED)
    tenant = f"t-{unique}"
    async with running_connector(make_settings(), callback_port) as (url, _):
        page = await connect_through_form(url, tenant, account["account_id"], decision="deny")
        assert page.status_code == 400
        assert "access_denied" in page.text
        assert (await status(url, tenant))["status"] == "not_connected"


@pytest.mark.parametrize(("setting", "words"), [
    ({"features": {"rest_web_services": False}}, "REST web services are not enabled in NetSuite account {account}"),
    ({"features": {"token_auth": False}}, "Token-based authentication is not enabled in NetSuite account {account}"),
    ({"features": {"bundle_installed": False}}, "The suitebridge bundle is not installed in NetSuite account {account}"),
    ({"permissions_missing": ["deletedrecord"]},
     "The role used to connect NetSuite account {account} lacks permission for: Deleted Records."),
    ({"permissions_missing": ["customer", "currency"]},
     "lacks permission for: Customers (Lists); Currency (Lists; the account also needs the Multiple Currencies"),
    ({"permissions_missing": ["transaction"]}, "lacks permission for: Find Transaction and Invoice (Transactions)"),
    ({"permissions_missing": ["account"]}, "NetSuite account {account} lacks permission for: Accounts (Lists)"),
    ({"permissions_missing": ["invoice"]}, "NetSuite account {account} lacks permission for: Invoice (View)"),
], ids=["rest-off", "token-auth-off", "bundle-missing", "deleted-records", "customers-and-currency",
        "transactions", "accounts", "invoice-pdf"])
async def test_each_missing_prerequisite_is_named_plainly(ns, make_settings, callback_port, unique, setting, words):
    account = ns.create_account(seed=SEED)
    account_id = account["account_id"]
    ns.patch_account(account_id, **setting)
    tenant = f"t-{unique}"
    async with running_connector(make_settings(), callback_port) as (url, _):
        page = await connect_through_form(url, tenant, account_id)
        message = words.format(account=account_id)
        assert page.status_code == 400 and message in page.text, page.text
        state = await status(url, tenant)
        assert state["status"] == "error"
        assert message in state["last_error"]
        assert "REST web services" not in state["last_error"] or "rest_web_services" in str(setting)


async def test_tenant_tokens_are_minted_by_admin_and_scoped(make_settings, callback_port, unique):
    async with running_connector(make_settings(), callback_port) as (url, _):
        async with httpx.AsyncClient(base_url=url) as api:
            minted = await api.post(f"/v1/tenants/a-{unique}/tokens", headers=admin_headers())
            assert minted.status_code == 201
            token = {"Authorization": f"Bearer {minted.json()['token']}"}
            assert (await api.get(f"/v1/tenants/a-{unique}/netsuite", headers=token)).status_code == 200
            assert (await api.get(f"/v1/tenants/b-{unique}/netsuite", headers=token)).status_code == 404
            assert (await api.get(f"/v1/tenants/a-{unique}/netsuite")).status_code == 401
            assert (await api.post(f"/v1/tenants/b-{unique}/tokens", headers=token)).status_code == 403
            internal = await api.get(f"/internal/tenants/a-{unique}/netsuite/credentials", headers=token)
            assert internal.status_code == 404  # not on the public port at all (internal listener)
