"""Dashboard pages: the invoice list (newest first, by status, searching number and customer, paged)
and one invoice (lines, payments, PDF, NetSuite link). Data: invoice-sync's read API."""
from __future__ import annotations

from html import escape
from urllib.parse import quote

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from connector import dashboard_common as common, timefmt
from connector.deps import Deps
from sb_runtime.http import current_deps

PAGE_SIZE = 25
STATUSES = (("", "Any status"), ("open", "Open"), ("partially_paid", "Partially paid"), ("paid", "Paid"),
            ("archived", "Archived"))
STATUS_LABEL = dict(STATUSES[1:])
PAYMENT_WORDS = {"written": "Written", "deposited": "Deposited", "waiting": "Waiting", "failed": "Failed",
                 "action_needed": "Action item"}


def filters(tenant_id: str, status: str, search: str) -> str:
    options = "".join(f"<option value='{value}'{' selected' if value == status else ''}>{label}</option>"
                      for value, label in STATUSES)
    return (f"<form class='filters' method='get' action='/dashboard/invoices' role='search'>"
            f"<input type='hidden' name='tenant' value='{escape(tenant_id)}'>"
            f"<label>Status <select name='status' id='status-filter'>{options}</select></label>"
            f"<label>Number or customer <input name='q' id='search' value='{escape(search)}'></label>"
            f"<button type='submit' id='apply-filters'>Show</button></form>")


def invoice_rows(deps: Deps, session: common.Session, invoices: list[dict]) -> str:
    rows = []
    for invoice in invoices:
        detail = f"/dashboard/invoices/{quote(invoice['id'], safe='')}?tenant={quote(session.tenant_id, safe='')}"
        url = common.netsuite_url(deps, session.status.get("account_id"), "invoice", invoice.get("netsuite_id"))
        rows.append(
            f"<tr data-invoice='{escape(invoice['id'])}'><td><a class='invoice' href='{escape(detail)}'>"
            f"{escape(invoice.get('number') or '')}</a></td><td>{escape(invoice.get('customer_name') or '')}</td>"
            f"<td>{escape(timefmt.day(invoice.get('issued_on')))}</td><td>{escape(timefmt.day(invoice.get('due_on')))}</td>"
            f"<td>{escape(STATUS_LABEL.get(invoice.get('status', ''), invoice.get('status', '')))}</td>"
            f"<td class='money'>{common.money(invoice.get('total'), invoice.get('currency'))}</td>"
            f"<td class='money'>{common.money(invoice.get('amount_remaining'))}</td>"
            f"<td>{common.netsuite_link(url, 'Open in NetSuite')}</td></tr>")
    head = ("<tr><th scope='col'>Number</th><th scope='col'>Customer</th><th scope='col'>Issued</th>"
            "<th scope='col'>Due</th><th scope='col'>Status</th><th scope='col'>Total</th>"
            "<th scope='col'>Remaining</th><th scope='col'>NetSuite</th></tr>")
    empty = "" if rows else "<p id='no-invoices'>No invoices match.</p>"
    return f"<table id='invoice-list'><caption class='muted'>Newest first</caption>{head}{''.join(rows)}</table>{empty}"


def detail_body(deps: Deps, session: common.Session, invoice: dict) -> str:
    account = session.status.get("account_id")
    url = common.netsuite_url(deps, account, "invoice", invoice.get("netsuite_id"))
    pdf = invoice.get("pdf") or {}
    pdf_link = (f"<a class='pdf' href='/dashboard/invoices/{escape(quote(invoice['id'], safe=''))}/pdf?tenant="
                f"{escape(quote(session.tenant_id, safe=''))}'>Download the PDF</a>" if pdf.get("available")
                else "<span class='muted'>No PDF yet</span>")
    facts = [("Customer", invoice.get("customer_name") or invoice.get("customer_netsuite_id")),
             ("Status", STATUS_LABEL.get(invoice.get("status", ""), invoice.get("status"))),
             ("Issued", timefmt.day(invoice.get("issued_on"))), ("Due", timefmt.day(invoice.get("due_on"))),
             ("Total", f"{invoice.get('total')} {invoice.get('currency')}"),
             ("Remaining", f"{invoice.get('amount_remaining')} {invoice.get('currency')}"),
             ("Memo", invoice.get("memo") or "—"), ("Last change", timefmt.local(invoice.get("updated_at"), session.timezone))]
    dl = "".join(f"<dt>{escape(name)}</dt><dd>{escape(str(value if value is not None else '—'))}</dd>" for name, value in facts)
    lines = "".join(f"<tr><td>{escape(str(line.get('line', '')))}</td><td>{escape(line.get('item') or '')}</td>"
                    f"<td>{escape(line.get('description') or '')}</td><td class='money'>{escape(str(line.get('quantity', '')))}</td>"
                    f"<td class='money'>{common.money(line.get('rate'))}</td><td class='money'>{common.money(line.get('amount'))}</td></tr>"
                    for line in invoice.get("lines") or [])
    payments = "".join(
        f"<tr><td>{escape(payment.get('payment_id', ''))}</td><td class='money'>{common.money(payment.get('amount'))}</td>"
        f"<td>{escape(PAYMENT_WORDS.get(payment.get('status', ''), payment.get('status', '')))}</td>"
        f"<td>{common.netsuite_link(common.netsuite_url(deps, account, 'customerpayment', payment.get('netsuite_id')), 'Open in NetSuite')}</td></tr>"
        for payment in invoice.get("payments") or [])
    return (f"<section id='invoice-detail'><h2>Summary</h2><dl class='facts'>{dl}</dl>"
            f"<p>{pdf_link} · {common.netsuite_link(url, 'Open in NetSuite')}</p></section>"
            f"<section id='invoice-lines'><h2>Lines</h2><table><tr><th scope='col'>#</th><th scope='col'>Item</th>"
            f"<th scope='col'>Description</th><th scope='col'>Quantity</th><th scope='col'>Rate</th><th scope='col'>Amount</th></tr>"
            f"{lines}</table></section>"
            f"<section id='invoice-payments'><h2>Payments through the platform</h2>"
            + (f"<table><tr><th scope='col'>Payment</th><th scope='col'>Amount</th><th scope='col'>State</th>"
               f"<th scope='col'>NetSuite</th></tr>{payments}</table>" if payments else "<p>None yet.</p>")
            + f"<p><a href='{common.href('invoices', session.tenant_id)}'>← All invoices</a></p></section>")


def router() -> APIRouter:
    routes = APIRouter()

    @routes.get("/dashboard/invoices")
    async def invoices(request: Request, tenant: str = "", status: str = "", q: str = "", page: int = 1,
                       deps: Deps = Depends(current_deps)) -> Response:
        session = await common.connected_session(deps, request, tenant, "invoices", "Invoices")
        if not isinstance(session, common.Session):
            return session
        status = status if status in STATUS_LABEL else ""
        page = max(1, min(page, 4000))
        found, problem = await common.read(deps.settings.invoice_sync_url, session.token,
                                           common.tenant_path(tenant, "invoice-search"),
                                           {"status": status, "q": q[:100], "limit": PAGE_SIZE,
                                            "offset": (page - 1) * PAGE_SIZE})
        body = filters(tenant, status, q)
        if problem or found is None:
            body += common.problem(problem or "No invoices yet.")
        else:
            body += (invoice_rows(deps, session, found["items"])
                     + common.pager("invoices", tenant, page, found.get("more", False), status=status, q=q))
        return common.frame(request, session, "invoices", "Invoices", f"<section id='invoices'>{body}</section>")

    @routes.get("/dashboard/invoices/{invoice_id}")
    async def invoice(request: Request, invoice_id: str, tenant: str = "",
                      deps: Deps = Depends(current_deps)) -> Response:
        session = await common.connected_session(deps, request, tenant, "invoices", "Invoice")
        if not isinstance(session, common.Session):
            return session
        found, problem = await common.read(deps.settings.invoice_sync_url, session.token,
                                           common.tenant_path(tenant, f"invoices/{quote(invoice_id, safe='')}"))
        if found is None:
            body = common.problem(problem or "There is no such invoice.")
            return common.frame(request, session, "invoices", "Invoice", body, status_code=404 if not problem else 200)
        found["customer_name"] = await _customer_name(deps.settings.invoice_sync_url, session.token, tenant,
                                                      found.get("customer_netsuite_id"))
        return common.frame(request, session, "invoices", f"Invoice {found.get('number', '')}",
                            detail_body(deps, session, found))

    return routes


async def _customer_name(base_url: str, token: str, tenant_id: str, netsuite_id: str | None) -> str | None:
    if not netsuite_id:
        return None
    found, _ = await common.read(base_url, token, common.tenant_path(tenant_id, "customers"),
                                 {"netsuite_id": netsuite_id, "limit": 1})
    items = (found or {}).get("items") or []
    return items[0]["name"] if items else None
