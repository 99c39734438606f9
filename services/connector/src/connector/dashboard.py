"""The partner dashboard (Integrations → NetSuite): connect, progress, account setup, action items,
invoices with PDF links. Server-rendered; the bearer token lives in an HttpOnly, SameSite=Strict
cookie set by the sign-in form. Invoices and PDFs come from invoice-sync's read API with the same
token. Every POST needs a same-origin ``Origin`` and the session's CSRF token (``dashboard_guard``)."""
from __future__ import annotations

from urllib.parse import quote

import httpx
from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from netsuite_client import NetSuiteError
from netsuite_client.config import InvalidAccountId

from connector import connect, dashboard_guard as guard, dashboard_page as page, setup, status, store, tba
from connector import dashboard_common as pages, dashboard_health, dashboard_invoices, dashboard_payments
from connector.deps import Deps
from connector.settings import Settings
from connector.errors import ConnectorError, NotConnected
from sb_runtime import revocation, tokens
from sb_runtime.http import current_deps

COOKIE = "sb_dashboard_token"


def _home(tenant_id: str) -> str:
    return f"/dashboard?tenant={quote(tenant_id, safe='')}"


def _problem(title: str, message: str, tenant_id: str, status_code: int) -> HTMLResponse:
    body = (f"<section><h2>{page.escape(title)}</h2><p class='flash' id='error'>{page.escape(message)}</p>"
            f"<a href='{page.escape(_home(tenant_id))}'>Back</a></section>")
    return HTMLResponse(page.layout(title, body), status_code=status_code)


def _verify(settings: Settings, token: str) -> tokens.Principal | None:
    return tokens.verify(token, settings.admin_token.get_secret_value(), settings.token_signing_key.get_secret_value())


async def _principal(deps: Deps, request: Request, tenant_id: str) -> tokens.Principal | None:
    """The signed-in session's principal if it may see ``tenant_id`` and is not revoked."""
    found = _verify(deps.settings, request.cookies.get(COOKIE, ""))
    if found is None or not found.can_see(tenant_id):
        return None
    if found.token_id and await revocation.is_revoked(deps.pool, deps.settings.token_revocation_schema,
                                                      found.token_id):
        return None
    return found


def to_login(tenant_id: str) -> RedirectResponse:
    return RedirectResponse(f"/dashboard/login?tenant={quote(tenant_id, safe='')}", status_code=303)


def router() -> APIRouter:
    """The dashboard's routes; the pages themselves are ``dashboard_page``'s."""
    routes = APIRouter()

    @routes.get("/dashboard/login", response_class=HTMLResponse)
    async def login_form(request: Request, tenant: str = "") -> Response:
        return guard.render(request, page.login_page(tenant))

    @routes.post("/dashboard/login")
    async def login(request: Request, tenant: str = Form(...), token: str = Form(...), deps: Deps = Depends(current_deps)) -> Response:
        if (refused := await guard.refuse(request)) is not None:
            return refused
        found = _verify(deps.settings, token.strip())
        if found is None or not found.can_see(tenant):
            return guard.render(request, page.login_page(tenant, "That token does not open this tenant."), 401)
        response = RedirectResponse(_home(tenant), status_code=303)
        guard.start_session(request, response, COOKIE, token.strip(), deps.settings.dashboard_session_s)
        return response

    @routes.post("/dashboard/logout")
    async def logout(request: Request, tenant: str = "") -> Response:
        if (refused := await guard.refuse(request)) is not None:
            return refused
        response = to_login(tenant)
        guard.end_session(response, COOKIE)
        return response

    @routes.get("/dashboard", response_class=HTMLResponse)
    async def dashboard(request: Request, tenant: str = "", deps: Deps = Depends(current_deps)) -> Response:
        if not tenant or await _principal(deps, request, tenant) is None:
            return to_login(tenant)
        current = await status.connection_status(deps, tenant)
        accounts = await _accounts(deps, tenant, current)
        invoices, problem = await _invoices(deps.settings.invoice_sync_url, request.cookies[COOKIE], tenant)
        body = "".join([
            page.connection_section(tenant, current), page.accounts_section(tenant, current, accounts),
            page.action_items_section(current), page.activity_section(invoices, current.get("timezone")),
            page.invoices_section(tenant, invoices, problem), guard.sign_out_form(tenant),
        ])
        return guard.render(request, pages.with_nav(page.layout(f"suitebridge · {tenant}", body, refresh_s=5), tenant))

    @routes.post("/dashboard/connect")
    async def start_connect(request: Request, tenant: str, account_id: str = Form(""),
                            confirm_switch: str = Form(""), deps: Deps = Depends(current_deps)) -> Response:
        if (refused := await guard.refuse(request)) is not None:
            return refused
        if await _principal(deps, request, tenant) is None:
            return to_login(tenant)
        try:
            url = await connect.start(deps, tenant, account_id.strip() or None, _confirmed(confirm_switch))
            return RedirectResponse(url, status_code=303)
        except InvalidAccountId:
            return _problem("Connect NetSuite", "That is not a NetSuite account ID (for example 1234567 or "
                            "1234567_SB1).", tenant, 422)
        except (ConnectorError, NotConnected) as error:
            return _problem("Connect NetSuite", str(error), tenant, 503)

    @routes.post("/dashboard/tba")
    async def connect_tba(request: Request, tenant: str, deps: Deps = Depends(current_deps)) -> Response:
        if (refused := await guard.refuse(request)) is not None:
            return refused
        if await _principal(deps, request, tenant) is None:
            return to_login(tenant)
        form = await request.form()
        values = {key: str(form.get(key) or "") for key in ("account_id", "token_id", "token_secret",
                                                             "consumer_key", "consumer_secret")}
        try:
            confirm_switch = _confirmed(str(form.get("confirm_switch") or ""))
            await tba.connect_with_tba(deps, tenant, tba.TbaRequest(**values, confirm_switch=confirm_switch))
        except (ConnectorError, NotConnected) as error:  # refused, malformed or NetSuite unreachable: said on the page
            current = await status.connection_status(deps, tenant)
            body = page.connection_section(tenant, current, str(error))
            return guard.render(request, page.layout(f"suitebridge · {tenant}", body), 422)
        return RedirectResponse(f"/dashboard?tenant={tenant}", status_code=303)

    @routes.post("/dashboard/accounts")
    async def save_accounts(request: Request, tenant: str, deps: Deps = Depends(current_deps)) -> Response:
        if (refused := await guard.refuse(request)) is not None:
            return refused
        if await _principal(deps, request, tenant) is None:
            return to_login(tenant)
        form = await request.form()
        choice = {key: (form.get(key) or None) for key in ("undeposited_funds", "deposit_bank", "fee_expense", "platform_income")}
        async with deps.pool.acquire() as connection:
            record = await store.get_tenant(connection, tenant)
        if record is None or not record.account_id or record.status == "not_connected":
            return _problem("Set Up Accounts", "NetSuite is not connected for this tenant yet. Connect it first.",
                            tenant, 409)
        try:
            await setup.save(deps, tenant, record.account_id, choice)
        except setup.InvalidChoice as error:
            return _problem("Set Up Accounts", str(error), tenant, 422)
        except (NetSuiteError, ConnectorError, NotConnected):
            return _problem("Set Up Accounts", "NetSuite could not be reached to check the accounts; nothing was "
                            "saved. Try again shortly.", tenant, 503)
        return RedirectResponse(_home(tenant), status_code=303)

    @routes.get("/dashboard/invoices/{invoice_id}/pdf")
    async def pdf(request: Request, invoice_id: str, tenant: str, deps: Deps = Depends(current_deps)) -> Response:
        if await _principal(deps, request, tenant) is None:
            return to_login(tenant)
        async with httpx.AsyncClient(base_url=deps.settings.invoice_sync_url, timeout=20) as http:
            answer = await http.get(f"/v1/tenants/{quote(tenant, safe='')}/invoices/{quote(invoice_id, safe='')}/pdf",
                                    headers={"Authorization": f"Bearer {request.cookies[COOKIE]}"})
        return Response(answer.content, status_code=answer.status_code,
                        media_type=answer.headers.get("content-type", "application/octet-stream"))

    for pages_module in (dashboard_invoices, dashboard_payments, dashboard_health):  # issue 17's pages
        routes.include_router(pages_module.router())
    return routes


async def _accounts(deps: Deps, tenant_id: str, current: dict) -> list[dict] | None:
    if current.get("status") != "connected" or not current.get("account_id"):
        return None
    try:
        return await setup.list_accounts(deps, tenant_id, current["account_id"])
    except Exception:  # noqa: BLE001 - the page still shows everything else; the API reports details
        return None


async def _invoices(base_url: str, token: str, tenant_id: str) -> tuple[list[dict] | None, str | None]:
    if not base_url:
        return None, "invoice-sync is not configured (CONNECTOR_INVOICE_SYNC_URL)."
    try:
        async with httpx.AsyncClient(base_url=base_url, timeout=10) as http:
            answer = await http.get(f"/v1/tenants/{quote(tenant_id, safe='')}/invoice-search", params={"limit": 25},
                                    headers={"Authorization": f"Bearer {token}"})
    except httpx.HTTPError:
        return None, "invoice-sync did not answer."
    if answer.status_code != 200:
        return None, f"invoice-sync answered {answer.status_code}."
    return answer.json().get("items", []), None


def _confirmed(value: str) -> bool:
    """A ``confirm_switch`` form field (a checkbox): the partner confirmed replacing the NetSuite account."""
    return value.strip().lower() in ("on", "true", "1", "yes")
