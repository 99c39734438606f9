"""Issue 13: NetSuite hosts come only from valid account ids; credentials never leave the
configured NetSuite hosts (the callback's `company` cannot redirect the token exchange)."""
from __future__ import annotations

import httpx
import pytest
from netsuite_client import NetSuiteClient, OAuth2Credentials, PermanentNetSuiteError, TenantConfig
from netsuite_client.config import InvalidAccountId, canonical_account_id, site_url

from connector.testing import admin_headers, running_connector

HOST_BASED = "https://{label}.suitetalk.api.netsuite.com"


@pytest.mark.parametrize(("given", "canonical"), [
    ("1234567", "1234567"), ("1234567_SB1", "1234567_SB1"), ("1234567-sb2", "1234567_SB2"),
    ("1234567_RP1", "1234567_RP1"), ("TSTDRV1234567", "TSTDRV1234567"), ("tstdrv7", "TSTDRV7"),
])
def test_netsuite_account_ids_are_accepted_in_their_canonical_form(given, canonical):
    assert canonical_account_id(given) == canonical


@pytest.mark.parametrize("given", [
    "attacker.example/#", "127.0.0.1:9/#", "1234567.evil.example", "", " ", "1234567_SB", "12 34",
    "1234567/../x", "1234567@evil", "１２３", "1234567_XX1",
])
def test_anything_else_never_becomes_a_netsuite_host(given):
    with pytest.raises(InvalidAccountId):
        canonical_account_id(given)
    with pytest.raises(InvalidAccountId):
        site_url(HOST_BASED, given)


async def _start_connect(url: str, tenant: str, account_id: str | None = None) -> str:
    async with httpx.AsyncClient(base_url=url) as api:
        body = {"account_id": account_id} if account_id else {}
        started = await api.post(f"/v1/tenants/{tenant}/netsuite/connect", json=body, headers=admin_headers())
    assert started.status_code == 200, started.text
    return httpx.URL(started.json()["authorize_url"]).params["state"]


async def _callback(url: str, **params) -> httpx.Response:
    async with httpx.AsyncClient(base_url=url, timeout=30) as browser:
        return await browser.get("/v1/oauth/netsuite/callback", params=params)


async def test_callback_company_cannot_send_the_token_exchange_to_another_host(
        make_settings, callback_port, unique, attacker):
    settings = make_settings(netsuite_rest_base_template="http://{label}.suitetalk.invalid",
                             netsuite_restlet_base_template="http://{label}.restlets.invalid")
    async with running_connector(settings, callback_port) as (url, _):
        state = await _start_connect(url, f"t-{unique}")
        page = await _callback(url, state=state, code="a-code", company=f"127.0.0.1:{attacker.port}/#")
    assert attacker.requests == [], "the client secret and PKCE verifier went to the attacker's host"
    assert page.status_code == 400


async def test_callback_company_must_be_the_account_the_connect_named(make_settings, callback_port, unique,
                                                                         attacker):
    template = attacker.url + "/accounts/{account_id}"
    settings = make_settings(netsuite_rest_base_template=template, netsuite_restlet_base_template=template)
    async with running_connector(settings, callback_port) as (url, _):
        state = await _start_connect(url, f"t-{unique}", "1234567")
        page = await _callback(url, state=state, code="a-code", company="7654321")
    assert attacker.requests == []
    assert page.status_code == 400 and "different or invalid account" in page.text


async def test_connect_refuses_an_account_hint_that_is_not_an_account_id(make_settings, callback_port, unique):
    async with running_connector(make_settings(), callback_port) as (url, _):
        async with httpx.AsyncClient(base_url=url) as api:
            answer = await api.post(f"/v1/tenants/t-{unique}/netsuite/connect", headers=admin_headers(),
                                    json={"account_id": "evil.example/#"})
    assert answer.status_code == 422
    assert answer.json()["error"]["code"] == "invalid_account_id"


async def test_client_refuses_to_send_credentials_outside_the_configured_hosts(attacker):
    credentials = OAuth2Credentials(access_token="secret-access", refresh_token=None, expires_at=4e9,
                                    client_id="c", client_secret="s")
    config = TenantConfig("acme", "1234567", credentials, rest_base_template=HOST_BASED,
                          restlet_base_template="https://{label}.restlets.api.netsuite.com")
    async with NetSuiteClient(config) as client:
        with pytest.raises(PermanentNetSuiteError):
            await client.request("GET", attacker.url + "/services/rest/record/v1/invoice/1")
    assert attacker.requests == []


def test_an_explicit_token_endpoint_outside_the_netsuite_hosts_is_refused(attacker):
    credentials = OAuth2Credentials(access_token="a", refresh_token="r", expires_at=0, client_id="c",
                                    client_secret="s", token_url=attacker.url + "/token")
    config = TenantConfig("acme", "1234567", credentials, rest_base_template=HOST_BASED)
    with pytest.raises(InvalidAccountId):
        config.token_url
