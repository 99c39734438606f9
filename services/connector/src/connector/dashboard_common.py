"""What every page of the partner's dashboard shares: the signed-in check, the page frame with its
navigation and sign-out, reads from the other services' APIs (with the partner's own token, as the
invoice list always did), NetSuite links and the page for a tenant not connected yet."""
from __future__ import annotations

from dataclasses import dataclass
from html import escape
from urllib.parse import quote, urlencode

import httpx
from fastapi import Request
from fastapi.responses import RedirectResponse, Response
from netsuite_client.config import site_url

from connector import dashboard_guard as guard, dashboard_page as page, status
from connector.deps import Deps
from sb_runtime import revocation, tokens

COOKIE = "sb_dashboard_token"  # the session cookie dashboard.py sets at sign-in
REFRESH_S = 5
PAGES = (("", "Overview"), ("invoices", "Invoices"), ("payments", "Payments"), ("payouts", "Payouts"),
         ("health", "Health"), ("action-items", "Action items"))
EXTRA_STYLE = """
nav.pages{background:#fff;border-bottom:1px solid #dde1e8;padding:0 24px}
nav.pages a{display:inline-block;padding:10px 12px;color:#1d2330;text-decoration:none}
nav.pages a[aria-current=page]{border-bottom:3px solid #2f6fdf;font-weight:600}
a{color:#1f5ea8}.muted{color:#555}.state{padding:2px 8px;border-radius:10px;font-size:.9em;white-space:nowrap}
.st-written,.st-deposited{background:#d4edda}.st-waiting,.st-pending{background:#fff3cd}
.st-failed,.st-action_needed{background:#f8d7da}.st-deposit{background:#dbe8ff}
form.inline{display:inline}form.filters label{display:inline-block;margin-right:12px}
form.filters input,form.filters select{min-width:160px}.pager a{margin-right:12px}
.swatch{display:inline-block;width:12px;height:12px;margin-right:6px;border-radius:2px}
ul.legend{list-style:none;padding:0;display:flex;gap:24px}dl.facts{display:grid;grid-template-columns:max-content 1fr;gap:4px 16px}
dl.facts dt{font-weight:600}.kpi{display:flex;gap:16px;flex-wrap:wrap}.kpi div{border:1px solid #dde1e8;border-radius:8px;padding:8px 14px}
"""


@dataclass(frozen=True)
class Session:
    tenant_id: str
    token: str
    status: dict

    @property
    def timezone(self) -> str | None:
        return self.status.get("timezone")

    @property
    def connected(self) -> bool:
        return bool(self.status.get("account_id")) and self.status.get("status") in ("connected", "error", "pending")


async def signed_in(deps: Deps, request: Request, tenant_id: str) -> Session | None:
    """The session when the cookie's token opens ``tenant_id`` (and is not revoked)."""
    settings = deps.settings
    token = request.cookies.get(COOKIE, "")
    found = tokens.verify(token, settings.admin_token.get_secret_value(), settings.token_signing_key.get_secret_value())
    if not tenant_id or found is None or not found.can_see(tenant_id):
        return None
    if found.token_id and await revocation.is_revoked(deps.pool, settings.token_revocation_schema, found.token_id):
        return None
    return Session(tenant_id, token, await status.connection_status(deps, tenant_id))


async def connected_session(deps: Deps, request: Request, tenant_id: str, current: str,
                            title: str) -> Session | Response:
    """The session of a data page, or the page to show instead: sign-in, or what to do first."""
    session = await signed_in(deps, request, tenant_id)
    if session is None:
        return to_login(tenant_id)
    if not session.connected:
        return not_connected(request, session, current, title)
    return session


def to_login(tenant_id: str) -> RedirectResponse:
    return RedirectResponse(f"/dashboard/login?tenant={quote(tenant_id, safe='')}", status_code=303)


def href(name: str, tenant_id: str, **params) -> str:
    """A dashboard URL (escaped for an attribute): ``/dashboard/<name>?tenant=...&...``."""
    query = urlencode({"tenant": tenant_id, **{k: v for k, v in params.items() if v not in (None, "")}})
    return escape(f"/dashboard{'/' + name if name else ''}?{query}")


def nav(tenant_id: str, current: str) -> str:
    links = "".join(f"<a href='{href(name, tenant_id)}'{' aria-current=page' if name == current else ''}>"
                    f"{escape(label)}</a>" for name, label in PAGES)
    return f"<nav class='pages' aria-label='Dashboard pages'>{links}</nav>"


def frame(request: Request, session: Session, current: str, title: str, body: str, *, refresh: bool = True,
          status_code: int = 200) -> Response:
    """The page: header, navigation, ``<h1>``, body, sign-out; CSRF fields in every form."""
    html = page.layout(f"{title} · suitebridge · {session.tenant_id}",
                       f"<h1>{escape(title)}</h1>{body}{guard.sign_out_form(session.tenant_id)}",
                       refresh_s=REFRESH_S if refresh else None)
    return guard.render(request, with_nav(html, session.tenant_id, current), status_code)


def with_nav(html: str, tenant_id: str, current: str = "") -> str:
    """A dashboard page (``dashboard_page.layout``) with the navigation between the pages."""
    html = html.replace("<main>", nav(tenant_id, current) + "<main>", 1)
    return html.replace("</style>", EXTRA_STYLE + "</style>", 1)


def not_connected(request: Request, session: Session, current: str, title: str) -> Response:
    """What a tenant without NetSuite sees on every data page: what to do first."""
    body = (f"<section id='not-connected'><h2>NetSuite is not connected yet</h2>"
            f"<p>Nothing is synced for <b>{escape(session.tenant_id)}</b> until NetSuite is connected. To start:</p>"
            f"<ol><li>Open the <a href='{href('', session.tenant_id)}'>Overview</a> and choose "
            f"<b>Connect with OAuth 2.0</b> (or connect with a TBA token).</li>"
            f"<li>Sign in to NetSuite as an administrator and choose <b>Allow</b>.</li>"
            f"<li>Back here, choose the accounts payments and payouts are written to (Set Up Accounts).</li></ol>"
            f"<p>Invoices, payments and payouts appear here once the first sync has run.</p></section>")
    return frame(request, session, current, title, body)


def netsuite_url(deps: Deps, account_id: str | None, record: str, netsuite_id: str | None) -> str | None:
    """The record in NetSuite's UI: ``https://<label>.app.netsuite.com/app/accounting/transactions/<page>.nl?id=N``
    (the label is the account id lower-cased, ``_`` -> ``-``; ``site_url`` does that)."""
    pages = {"invoice": "custinvc", "customerpayment": "custpymt", "deposit": "deposit"}
    if not account_id or not netsuite_id or record not in pages:
        return None
    try:
        base = site_url(deps.settings.netsuite_app_base_template, account_id)
    except ValueError:
        return None
    return f"{base}/app/accounting/transactions/{pages[record]}.nl?id={quote(str(netsuite_id), safe='')}"


def netsuite_link(url: str | None, text: str) -> str:
    if not url:
        return "<span class='muted'>—</span>"
    return f"<a class='netsuite' href='{escape(url)}' rel='noopener' target='_blank'>{escape(text)}</a>"


def problem(message: str) -> str:
    return f"<p class='flash' role='status'>{escape(message)}</p>"


async def read(base_url: str, token: str, path: str, params: dict | None = None) -> tuple[dict | None, str | None]:
    """GET another service's ``/v1`` route with the partner's token: (json, None) or (None, what went wrong)."""
    if not base_url:
        return None, "This part of the dashboard is not configured yet."
    try:
        async with httpx.AsyncClient(base_url=base_url, timeout=10) as http:
            answer = await http.get(path, params={k: v for k, v in (params or {}).items() if v not in (None, "")},
                                    headers={"Authorization": f"Bearer {token}"})
    except httpx.HTTPError:
        return None, "The service behind this page did not answer; it refreshes by itself."
    if answer.status_code == 404:
        return None, None
    if answer.status_code != 200:
        return None, f"The service behind this page answered {answer.status_code}."
    return answer.json(), None


async def post(base_url: str, token: str, path: str) -> tuple[int, dict]:
    if not base_url:
        return 503, {}
    try:
        async with httpx.AsyncClient(base_url=base_url, timeout=10) as http:
            answer = await http.post(path, headers={"Authorization": f"Bearer {token}"})
    except httpx.HTTPError:
        return 503, {}
    try:
        return answer.status_code, answer.json()
    except ValueError:
        return answer.status_code, {}


def tenant_path(tenant_id: str, rest: str) -> str:
    return f"/v1/tenants/{quote(tenant_id, safe='')}/{rest}"


def money(value, currency: str | None = None) -> str:
    if value is None:
        return ""
    return escape(f"{value} {currency}" if currency else str(value))


def pager(name: str, tenant_id: str, page_number: int, more: bool, **params) -> str:
    links = []
    if page_number > 1:
        links.append(f"<a id='previous' href='{href(name, tenant_id, page=page_number - 1, **params)}'>← Newer</a>")
    if more:
        links.append(f"<a id='next' href='{href(name, tenant_id, page=page_number + 1, **params)}'>Older →</a>")
    return f"<p class='pager'>Page {page_number} {''.join(links)}</p>"
