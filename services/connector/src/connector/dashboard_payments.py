"""Dashboard pages: every platform payment (payment-reconciler) and every payout (deposit-writer),
each with its state in words, its NetSuite record and, where a retry can help, a retry button
(the write-back services' ``POST .../{kind}s/{id}/retry``)."""
from __future__ import annotations

from html import escape
from urllib.parse import quote

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response

from connector import dashboard_common as common, dashboard_guard as guard, timefmt
from connector.deps import Deps
from sb_runtime.http import current_deps

PAGE_SIZE = 25
PAYMENT_STATES = (("", "Any state"), ("written", "Written"), ("deposited", "Deposited"), ("pending", "Writing"),
                  ("waiting", "Waiting"), ("action_needed", "Action item"), ("failed", "Failed"))
PAYOUT_STATES = (("", "Any state"), ("deposited", "Deposited"), ("pending", "Writing"), ("waiting", "Waiting"),
                 ("action_needed", "Action item"))


def payment_state(payment: dict) -> tuple[str, str, str]:
    """(css class, label, explanation) of a payment's state as the partner reads it."""
    state, standalone = payment.get("state", ""), payment.get("origin") == "platform"
    if state in ("written", "deposited"):
        if standalone:
            return "deposit", "Stand-alone deposit", "The invoice is not in NetSuite: recorded as a deposit."
        return state, "Written", ""
    if state == "pending":
        if payment.get("attempts"):
            return state, "Retrying", f"NetSuite did not take it yet ({payment.get('last_error') or 'no answer'}); retried automatically."
        return state, "Writing", "Being written to NetSuite now."
    if state == "waiting":
        return state, "Waiting", payment.get("reason") or "Waiting."
    if state == "action_needed":
        return state, "Action item", payment.get("reason") or payment.get("last_error") or "See the action items."
    if state == "failed":
        return state, "Failed", payment.get("failure_reason") or "The platform reported the payment failed."
    return state, state, ""


def payout_state(payout: dict) -> tuple[str, str, str]:
    state = payout.get("state", "")
    if state == "deposited":
        return state, "Deposited", payout.get("reason") or ""
    if state == "waiting":
        waiting = payout.get("waiting_for") or []
        said = f"Waits for {len(waiting)} payment(s) to be recorded in NetSuite." if waiting else ""
        return state, "Waiting", payout.get("reason") or said or "Waiting."
    if state == "pending":
        return state, "Writing", "Being written to NetSuite now."
    if state == "action_needed":
        gap = f" Difference: {payout['difference']} {payout.get('currency', '')}." if payout.get("difference") else ""
        return state, "Does not balance" if payout.get("difference") else "Action item", \
            (payout.get("reason") or payout.get("last_error") or "See the action items.") + gap
    return state, state, ""


def state_filter(page_name: str, tenant_id: str, states, chosen: str) -> str:
    options = "".join(f"<option value='{value}'{' selected' if value == chosen else ''}>{label}</option>"
                      for value, label in states)
    return (f"<form class='filters' method='get' action='/dashboard/{page_name}'>"
            f"<input type='hidden' name='tenant' value='{escape(tenant_id)}'>"
            f"<label>State <select name='state' id='state-filter'>{options}</select></label>"
            f"<button type='submit' id='apply-filters'>Show</button></form>")


def retry_form(kind: str, tenant_id: str, work_id: str) -> str:
    return (f"<form class='inline' method='post' action='/dashboard/{kind}s/{escape(quote(work_id, safe=''))}/retry?tenant="
            f"{escape(quote(tenant_id, safe=''))}'><button type='submit' class='retry' "
            f"aria-label='Retry {kind} {escape(work_id)} now'>Retry now</button></form>")


def payment_rows(deps: Deps, session: common.Session, payments: list[dict]) -> str:
    account, rows = session.status.get("account_id"), []
    for payment in payments:
        css, label, said = payment_state(payment)
        record = "deposit" if payment.get("origin") == "platform" else "customerpayment"
        url = common.netsuite_url(deps, account, record, payment.get("netsuite_id"))
        invoice = payment.get("invoice_number") or payment.get("invoice_id") or "—"
        invoice_cell = (f"<a href='/dashboard/invoices/{escape(quote(payment['invoice_id'], safe=''))}?tenant="
                        f"{escape(quote(session.tenant_id, safe=''))}'>{escape(invoice)}</a>"
                        if payment.get("invoice_id") and payment.get("origin") != "platform" else escape(invoice))
        retry = retry_form("payment", session.tenant_id, payment["payment_id"]) if payment.get("retryable") else ""
        rows.append(
            f"<tr data-payment='{escape(payment['payment_id'])}' data-state='{escape(payment.get('state', ''))}'>"
            f"<td>{escape(payment['payment_id'])}</td><td>{escape(timefmt.local(payment.get('received_at'), session.timezone))}</td>"
            f"<td>{invoice_cell}</td><td class='money'>{common.money(payment.get('amount'), payment.get('currency'))}</td>"
            f"<td><span class='state st-{escape(css)}'>{escape(label)}</span> <span class='muted'>{escape(said)}</span></td>"
            f"<td>{common.netsuite_link(url, 'Open in NetSuite')}</td><td>{retry}</td></tr>")
    head = ("<tr><th scope='col'>Payment</th><th scope='col'>Received</th><th scope='col'>Invoice</th>"
            "<th scope='col'>Amount</th><th scope='col'>State</th><th scope='col'>NetSuite</th><th scope='col'>Retry</th></tr>")
    empty = "" if rows else "<p id='no-payments'>No payments yet.</p>"
    return f"<table id='payment-list'><caption class='muted'>Newest first</caption>{head}{''.join(rows)}</table>{empty}"


def payout_rows(deps: Deps, session: common.Session, payouts: list[dict]) -> str:
    account, rows = session.status.get("account_id"), []
    for payout in payouts:
        css, label, said = payout_state(payout)
        url = common.netsuite_url(deps, account, "deposit", payout.get("netsuite_id"))
        fees = "".join(f"<br><span class='muted'>{escape(fee.get('description') or fee.get('kind') or '')}: "
                       f"{escape(str(fee.get('amount')))}</span>" for fee in payout.get("fees") or [])
        waiting = payout.get("waiting_for") or []
        waits = (f"<details><summary>{len(waiting)} payment(s) not in NetSuite yet</summary><ul>"
                 + "".join(f"<li>{escape(payment_id)}</li>" for payment_id in waiting) + "</ul></details>") if waiting else ""
        retry = retry_form("payout", session.tenant_id, payout["payout_id"]) if payout.get("retryable") else ""
        rows.append(
            f"<tr data-payout='{escape(payout['payout_id'])}' data-state='{escape(payout.get('state', ''))}'>"
            f"<td>{escape(payout['payout_id'])}</td><td>{escape(timefmt.day(payout.get('arrival_date')))}</td>"
            f"<td class='money'>{common.money(payout.get('gross_amount'), payout.get('currency'))}</td>"
            f"<td class='money'>{common.money(payout.get('fee_amount'))}{fees}</td>"
            f"<td class='money'>{common.money(payout.get('net_amount'), payout.get('currency'))}</td>"
            f"<td>{len(payout.get('payment_ids') or [])}</td>"
            f"<td><span class='state st-{escape(css)}'>{escape(label)}</span> <span class='muted'>{escape(said)}</span>{waits}</td>"
            f"<td>{common.netsuite_link(url, 'Open deposit in NetSuite')}</td><td>{retry}</td></tr>")
    head = ("<tr><th scope='col'>Payout</th><th scope='col'>Arrives</th><th scope='col'>Gross</th>"
            "<th scope='col'>Fees (as booked)</th><th scope='col'>Net</th><th scope='col'>Payments</th>"
            "<th scope='col'>State</th><th scope='col'>NetSuite</th><th scope='col'>Retry</th></tr>")
    empty = "" if rows else "<p id='no-payouts'>No payouts yet.</p>"
    return f"<table id='payout-list'><caption class='muted'>Newest first</caption>{head}{''.join(rows)}</table>{empty}"


def _source(deps: Deps, kind: str) -> str:
    return deps.settings.payment_reconciler_url if kind == "payment" else deps.settings.deposit_writer_url


def router() -> APIRouter:
    routes = APIRouter()

    async def listing(deps: Deps, request: Request, kind: str, tenant: str, state: str, page: int, title: str, states, render):
        session = await common.connected_session(deps, request, tenant, f"{kind}s", title)
        if not isinstance(session, common.Session):
            return session
        state = state if state in dict(states) else ""
        page = max(1, min(page, 4000))
        found, problem = await common.read(_source(deps, kind), session.token, common.tenant_path(tenant, f"{kind}s"),
                                           {"state": state, "limit": PAGE_SIZE, "offset": (page - 1) * PAGE_SIZE})
        body = state_filter(f"{kind}s", tenant, states, state)
        if found is None:
            body += common.problem(problem or f"No {kind}s yet.")
        else:
            body += render(deps, session, found["items"]) + common.pager(f"{kind}s", tenant, page, found.get("more", False),
                                                                         state=state)
        flash = {"scheduled": "Retry scheduled: it runs within seconds.",
                 "refused": "A retry cannot help that one now."}.get(request.query_params.get("retry", ""), "")
        notice = f"<p class='flash' id='retry-result' role='status'>{escape(flash)}</p>" if flash else ""
        return common.frame(request, session, f"{kind}s", title, f"{notice}<section id='{kind}s'>{body}</section>")

    async def retry(deps: Deps, request: Request, kind: str, work_id: str, tenant: str) -> Response:
        if (refused := await guard.refuse(request)) is not None:
            return refused
        session = await common.signed_in(deps, request, tenant)
        if session is None:
            return common.to_login(tenant)
        code, _ = await common.post(_source(deps, kind), session.token,
                                    common.tenant_path(tenant, f"{kind}s/{quote(work_id, safe='')}/retry"))
        outcome = "scheduled" if code == 202 else "refused"
        return RedirectResponse(f"/dashboard/{kind}s?tenant={quote(tenant, safe='')}&retry={outcome}", status_code=303)

    @routes.get("/dashboard/payments")
    async def payments(request: Request, tenant: str = "", state: str = "", page: int = 1,
                       deps: Deps = Depends(current_deps)) -> Response:
        return await listing(deps, request, "payment", tenant, state, page, "Payments", PAYMENT_STATES, payment_rows)

    @routes.get("/dashboard/payouts")
    async def payouts(request: Request, tenant: str = "", state: str = "", page: int = 1,
                      deps: Deps = Depends(current_deps)) -> Response:
        return await listing(deps, request, "payout", tenant, state, page, "Payouts", PAYOUT_STATES, payout_rows)

    @routes.post("/dashboard/payments/{payment_id}/retry")
    async def retry_payment(request: Request, payment_id: str, tenant: str = "",
                            deps: Deps = Depends(current_deps)) -> Response:
        return await retry(deps, request, "payment", payment_id, tenant)

    @routes.post("/dashboard/payouts/{payout_id}/retry")
    async def retry_payout(request: Request, payout_id: str, tenant: str = "",
                           deps: Deps = Depends(current_deps)) -> Response:
        return await retry(deps, request, "payout", payout_id, tenant)

    return routes
