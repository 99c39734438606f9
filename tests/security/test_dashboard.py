"""Issue 13: the dashboard cannot be driven cross-site, escapes everything it renders, keeps its
session in a strict cookie with an expiry, signs out, and says "not connected" instead of a 500."""
from __future__ import annotations

import re

import httpx
import pytest

from connector.testing import ADMIN_TOKEN, connect_through_form, running_connector

SCRIPT = "<script>alert(1)</script>"
SEED = {"customers": 2, "invoices": 3, "months": 2, "random_seed": 7}


def csrf_of(page: httpx.Response) -> str:
    found = re.search(r"name='csrf' value='([^']+)'", page.text)
    assert found, "every form carries a CSRF token"
    return found.group(1)


async def signed_in(api: httpx.AsyncClient, tenant: str) -> httpx.Response:
    form = await api.get("/dashboard/login", params={"tenant": tenant})
    answer = await api.post("/dashboard/login", headers={"Origin": str(api.base_url).rstrip("/")},
                            data={"tenant": tenant, "token": ADMIN_TOKEN, "csrf": csrf_of(form)})
    assert answer.status_code == 303, answer.text
    return answer


def browser(url: str) -> httpx.AsyncClient:
    return httpx.AsyncClient(base_url=url, follow_redirects=False, timeout=30)


async def test_sign_in_needs_the_forms_csrf_token(make_settings, callback_port, unique):
    async with running_connector(make_settings(), callback_port) as (url, _), browser(url) as api:
        await api.get("/dashboard/login", params={"tenant": f"t-{unique}"})
        forged = await api.post("/dashboard/login", headers={"Origin": url},
                                data={"tenant": f"t-{unique}", "token": ADMIN_TOKEN})
    assert forged.status_code == 403
    assert "set-cookie" not in forged.headers or "sb_dashboard_token" not in forged.headers["set-cookie"]


@pytest.mark.parametrize("path", ["/dashboard/accounts", "/dashboard/connect", "/dashboard/logout"])
async def test_a_cross_site_post_is_refused(make_settings, callback_port, unique, path):
    tenant = f"t-{unique}"
    async with running_connector(make_settings(), callback_port) as (url, _), browser(url) as api:
        await signed_in(api, tenant)
        page = await api.get("/dashboard", params={"tenant": tenant})
        token = csrf_of(page)
        elsewhere = await api.post(path, params={"tenant": tenant}, headers={"Origin": "https://evil.example"},
                                   data={"csrf": token, "undeposited_funds": "1", "deposit_bank": "2"})
        no_origin = await api.post(path, params={"tenant": tenant}, data={"csrf": token})
        no_token = await api.post(path, params={"tenant": tenant}, headers={"Origin": url},
                                  data={"undeposited_funds": "1", "deposit_bank": "2"})
    assert (elsewhere.status_code, no_origin.status_code, no_token.status_code) == (403, 403, 403)


async def test_account_form_for_a_tenant_that_is_not_connected_says_so(make_settings, callback_port, unique):
    tenant = f"t-{unique}"
    async with running_connector(make_settings(), callback_port) as (url, _), browser(url) as api:
        await signed_in(api, tenant)
        token = csrf_of(await api.get("/dashboard", params={"tenant": tenant}))
        answer = await api.post("/dashboard/accounts", params={"tenant": tenant}, headers={"Origin": url},
                                data={"csrf": token, "undeposited_funds": "1", "deposit_bank": "2"})
    assert answer.status_code == 409
    assert "not connected" in answer.text


async def test_account_setup_errors_never_echo_submitted_values_as_html(ns, make_settings, callback_port, unique):
    account = ns.create_account(seed=SEED)
    tenant = f"t-{unique}"
    async with running_connector(make_settings(), callback_port) as (url, _), browser(url) as api:
        await connect_through_form(url, tenant, account["account_id"])
        await signed_in(api, tenant)
        token = csrf_of(await api.get("/dashboard", params={"tenant": tenant}))
        answer = await api.post("/dashboard/accounts", params={"tenant": tenant}, headers={"Origin": url},
                                data={"csrf": token, "undeposited_funds": SCRIPT, "deposit_bank": SCRIPT})
    assert answer.status_code == 422
    assert SCRIPT not in answer.text
    assert "&lt;script&gt;" in answer.text


async def test_the_session_cookie_is_strict_httponly_and_expires(make_settings, callback_port, unique):
    tenant = f"t-{unique}"
    async with running_connector(make_settings(dashboard_session_s=3600), callback_port) as (url, app):
        async with browser(url) as api:
            plain = await signed_in(api, tenant)
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="https://dash.example",
                                     follow_redirects=False) as tls:
            secure = await signed_in(tls, tenant)
    session = [c for c in plain.headers.get_list("set-cookie") if c.startswith("sb_dashboard_token=")][0].lower()
    assert "httponly" in session and "samesite=strict" in session and "max-age=3600" in session
    assert "secure" not in session
    over_tls = [c for c in secure.headers.get_list("set-cookie") if c.startswith("sb_dashboard_token=")][0].lower()
    assert "secure" in over_tls


async def test_sign_out_ends_the_session(make_settings, callback_port, unique):
    tenant = f"t-{unique}"
    async with running_connector(make_settings(), callback_port) as (url, _), browser(url) as api:
        await signed_in(api, tenant)
        page = await api.get("/dashboard", params={"tenant": tenant})
        assert page.status_code == 200 and "sign-out" in page.text
        out = await api.post("/dashboard/logout", params={"tenant": tenant}, headers={"Origin": url},
                             data={"csrf": csrf_of(page)})
        after = await api.get("/dashboard", params={"tenant": tenant})
    assert out.status_code == 303
    assert after.status_code == 303 and after.headers["location"].startswith("/dashboard/login")


async def test_a_revoked_token_no_longer_opens_the_dashboard(make_settings, callback_port, unique):
    tenant = f"t-{unique}"
    async with running_connector(make_settings(), callback_port) as (url, _), browser(url) as api:
        minted = (await api.post(f"/v1/tenants/{tenant}/tokens",
                                 headers={"Authorization": f"Bearer {ADMIN_TOKEN}"})).json()
        form = await api.get("/dashboard/login", params={"tenant": tenant})
        await api.post("/dashboard/login", headers={"Origin": url},
                       data={"tenant": tenant, "token": minted["token"], "csrf": csrf_of(form)})
        assert (await api.get("/dashboard", params={"tenant": tenant})).status_code == 200
        await api.delete(f"/v1/tenants/{tenant}/tokens/{minted['token_id']}",
                         headers={"Authorization": f"Bearer {ADMIN_TOKEN}"})
        after = await api.get("/dashboard", params={"tenant": tenant})
    assert after.status_code == 303
