"""The partner dashboard (Integrations → NetSuite): connect, progress, account setup, action items,
invoices with PDF links. Server-rendered; the bearer token lives in an HttpOnly cookie set by the
sign-in form. Invoices and PDFs come from invoice-sync's read API with the same token."""
from __future__ import annotations

import httpx
from fastapi import FastAPI, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from connector import connect, dashboard_page as page, setup, status, store, tba
from connector.deps import Deps
from connector.errors import ConnectorError
from sb_runtime import tokens

COOKIE = "sb_dashboard_token"


def register(app: FastAPI, deps: Deps) -> None:
    settings = deps.settings

    def principal(request: Request, tenant_id: str) -> tokens.Principal | None:
        token = request.cookies.get(COOKIE, "")
        found = tokens.verify(token, settings.admin_token.get_secret_value(), settings.token_signing_key.get_secret_value())
        return found if found is not None and found.can_see(tenant_id) else None

    def to_login(tenant_id: str) -> RedirectResponse:
        return RedirectResponse(f"/dashboard/login?tenant={tenant_id}", status_code=303)

    @app.get("/dashboard/login", response_class=HTMLResponse)
    async def login_form(tenant: str = "") -> str:
        return page.login_page(tenant)

    @app.post("/dashboard/login")
    async def login(tenant: str = Form(...), token: str = Form(...)) -> Response:
        found = tokens.verify(token.strip(), settings.admin_token.get_secret_value(), settings.token_signing_key.get_secret_value())
        if found is None or not found.can_see(tenant):
            return HTMLResponse(page.login_page(tenant, "That token does not open this tenant."), status_code=401)
        response = RedirectResponse(f"/dashboard?tenant={tenant}", status_code=303)
        response.set_cookie(COOKIE, token.strip(), httponly=True, samesite="lax")
        return response

    @app.get("/dashboard", response_class=HTMLResponse)
    async def dashboard(request: Request, tenant: str = "") -> Response:
        if not tenant or principal(request, tenant) is None:
            return to_login(tenant)
        current = await status.connection_status(deps, tenant)
        accounts = await _accounts(deps, tenant, current)
        invoices, problem = await _invoices(settings.invoice_sync_url, request.cookies[COOKIE], tenant)
        body = "".join([
            page.connection_section(tenant, current), page.accounts_section(tenant, current, accounts),
            page.action_items_section(current), page.activity_section(invoices),
            page.invoices_section(tenant, invoices, problem),
        ])
        return HTMLResponse(page.layout(f"suitebridge · {tenant}", body, refresh_s=5))

    @app.post("/dashboard/connect")
    async def start_connect(request: Request, tenant: str, account_id: str = Form("")) -> Response:
        if principal(request, tenant) is None:
            return to_login(tenant)
        return RedirectResponse(await connect.start(deps, tenant, account_id.strip() or None), status_code=303)

    @app.post("/dashboard/tba")
    async def connect_tba(request: Request, tenant: str) -> Response:
        if principal(request, tenant) is None:
            return to_login(tenant)
        form = await request.form()
        values = {key: str(form.get(key) or "") for key in ("account_id", "token_id", "token_secret",
                                                             "consumer_key", "consumer_secret")}
        try:
            await tba.connect_with_tba(deps, tenant, tba.TbaRequest(**values))
        except ConnectorError as error:  # refused, malformed or NetSuite unreachable: said on the page
            current = await status.connection_status(deps, tenant)
            body = page.connection_section(tenant, current, str(error))
            return HTMLResponse(page.layout(f"suitebridge · {tenant}", body), status_code=422)
        return RedirectResponse(f"/dashboard?tenant={tenant}", status_code=303)

    @app.post("/dashboard/accounts")
    async def save_accounts(request: Request, tenant: str) -> Response:
        if principal(request, tenant) is None:
            return to_login(tenant)
        form = await request.form()
        choice = {key: (form.get(key) or None) for key in ("undeposited_funds", "deposit_bank", "fee_expense", "platform_income")}
        async with deps.pool.acquire() as connection:
            record = await store.get_tenant(connection, tenant)
        try:
            await setup.save(deps, tenant, record.account_id, choice)
        except setup.InvalidChoice as error:
            return HTMLResponse(page.layout("Set Up Accounts", f"<p class='flash' id='error'>{error}</p>"
                                            f"<a href='/dashboard?tenant={tenant}'>Back</a>"), status_code=422)
        return RedirectResponse(f"/dashboard?tenant={tenant}", status_code=303)

    @app.get("/dashboard/invoices/{invoice_id}/pdf")
    async def pdf(request: Request, invoice_id: str, tenant: str) -> Response:
        if principal(request, tenant) is None:
            return to_login(tenant)
        async with httpx.AsyncClient(base_url=settings.invoice_sync_url, timeout=20) as http:
            answer = await http.get(f"/v1/tenants/{tenant}/invoices/{invoice_id}/pdf",
                                    headers={"Authorization": f"Bearer {request.cookies[COOKIE]}"})
        return Response(answer.content, status_code=answer.status_code,
                        media_type=answer.headers.get("content-type", "application/octet-stream"))


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
            answer = await http.get(f"/v1/tenants/{tenant_id}/invoices", params={"limit": 25},
                                    headers={"Authorization": f"Bearer {token}"})
    except httpx.HTTPError:
        return None, "invoice-sync did not answer."
    if answer.status_code != 200:
        return None, f"invoice-sync answered {answer.status_code}."
    return answer.json().get("items", []), None
