"""Dashboard pages: Health (connection, reconnect date, last poll per stream, NetSuite calls and 429s
in the last hour, a 24-hour chart of records synced and payments written) and the action items,
grouped by kind, each saying what to do and where."""
from __future__ import annotations

import datetime as dt
from html import escape
from urllib.parse import quote

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response
from netsuite_client.config import account_label

from connector import dashboard_common as common, netsuite_calls, svg_chart, sync_store, timefmt
from connector.deps import Deps
from sb_runtime.http import current_deps
from connector.streams import ALL

STATUS_WORDS = {"connected": "Connected", "pending": "Connecting (first sync running)", "error": "Stopped",
                "not_connected": "Not connected"}
# kind -> (heading, what to do, where: (page name, link text) or None for NetSuite)
WHAT_TO_DO = {
    "reconnect_netsuite": ("Reconnect NetSuite", "Reconnect before the date shown, or connect with a TBA token.",
                           ("", "Overview → Connect")),
    "account_setup_missing": ("Account setup missing", "Choose the accounts payments and payouts are written to.",
                              ("", "Overview → Set Up Accounts")),
    "sync_error": ("Records that could not be synced", "Open the record in NetSuite and fix what the message names; "
                   "it syncs again on its next change.", None),
    "write_rejected": ("NetSuite refused a write", "Fix what NetSuite names (account, period, customer), then retry "
                       "the payment or payout.", ("payments", "Payments")),
    "overpayment": ("Overpayments", "Decide in NetSuite where the extra amount goes (refund or credit).", None),
    "currency_mismatch": ("Currency mismatches", "The payment's currency differs from the invoice's: record it in "
                          "NetSuite by hand.", None),
    "deposit_does_not_balance": ("Payouts that do not balance", "Compare the payout with its payments and fees; "
                                 "book the difference in NetSuite.", ("payouts", "Payouts")),
    "payout_waiting_for_payments": ("Payouts waiting for payments", "Nothing to do unless a payment is stuck: see "
                                    "its state on the Payments page.", ("payouts", "Payouts")),
    "revert_invoice_in_netsuite": ("Invoices to revert in NetSuite", "A paid invoice changed in NetSuite: restore "
                                   "it as the message says.", ("invoices", "Invoices")),
}


def connection_card(session: common.Session, now: dt.datetime) -> str:
    state = session.status.get("status", "not_connected")
    credentials = session.status.get("credentials") or {}
    if credentials.get("kind") == "tba":
        expiry = "Token-based authentication: does not expire."
    elif credentials.get("refresh_expires_at"):
        until = credentials["refresh_expires_at"]
        expiry = (f"Reconnect before <b id='reconnect-date'>{escape(timefmt.local(until, session.timezone))}</b> "
                  f"({escape(_until(until, now))}).")
    else:
        expiry = "No expiry known."
    error = session.status.get("last_error")
    return (f"<section id='connection-health'><h2>Connection</h2><dl class='facts'>"
            f"<dt>Status</dt><dd><span class='badge {escape(state)}' id='health-status'>{escape(STATUS_WORDS.get(state, state))}</span></dd>"
            f"<dt>NetSuite account</dt><dd>{escape(session.status.get('account_id') or '—')}</dd>"
            f"<dt>Time zone</dt><dd>{escape(session.timezone or 'UTC')}</dd>"
            f"<dt>Authorization</dt><dd>{expiry}</dd></dl>"
            + (f"<p class='flash'>{escape(error)}</p>" if error else "") + "</section>")


def _until(value: str, now: dt.datetime) -> str:
    at = timefmt.parse(value)
    if at is None:
        return ""
    days = (at - now).total_seconds() / 86400
    return "expired" if days <= 0 else f"in {days:.1f} days"


def polls_card(session: common.Session, polled: dict, now: dt.datetime, calls: tuple[int, int]) -> str:
    rows = "".join(f"<tr><th scope='row'>{escape(stream.name)}</th><td>{escape(timefmt.local(polled.get(stream.name), session.timezone))}</td>"
                   f"<td>{escape(timefmt.ago(polled.get(stream.name), now))}</td></tr>" for stream in ALL)
    return (f"<section id='polls'><h2>Sync</h2><div class='kpi'><div>NetSuite calls, last hour: <b id='calls'>{calls[0]}</b></div>"
            f"<div>Of them refused with 429 (too many requests): <b id='throttled'>{calls[1]}</b></div></div>"
            f"<table><caption class='muted'>Last successful poll per stream</caption><tr><th scope='col'>Stream</th>"
            f"<th scope='col'>Last poll</th><th scope='col'>Ago</th></tr>{rows}</table></section>")


def items_by_kind(deps: Deps, session: common.Session, items: list[dict]) -> str:
    if not items:
        return "<section id='action-groups'><h2>Nothing to do</h2><p>No open action items.</p></section>"
    groups: dict[str, list[dict]] = {}
    for item in items:
        groups.setdefault(item.get("kind", ""), []).append(item)
    parts = []
    for kind, found in sorted(groups.items(), key=lambda pair: -len(pair[1])):
        heading, what, where = WHAT_TO_DO.get(kind, (kind, "See the message.", None))
        place = (f"<a href='{common.href(where[0], session.tenant_id)}'>{escape(where[1])}</a>" if where
                 else "in NetSuite")
        entries = "".join(f"<li data-item='{escape(item.get('item_id', ''))}'>{escape(item.get('message', ''))} "
                          f"{_records(deps, session, item)} <span class='muted'>since "
                          f"{escape(timefmt.local(item.get('raised_at'), session.timezone))}</span></li>" for item in found)
        parts.append(f"<section class='action-group' data-kind='{escape(kind)}'><h2>{escape(heading)} ({len(found)})</h2>"
                     f"<p><b>What to do:</b> {escape(what)} <b>Where:</b> {place}</p><ul>{entries}</ul></section>")
    return "".join(parts)


def _records(deps: Deps, session: common.Session, item: dict) -> str:
    links, tenant = [], quote(session.tenant_id, safe="")
    if item.get("invoice_id"):
        links.append(f"<a href='/dashboard/invoices/{escape(quote(item['invoice_id'], safe=''))}?tenant={escape(tenant)}'>invoice</a>")
    if item.get("payment_id"):
        links.append(f"payment {escape(item['payment_id'])}")
    if item.get("payout_id"):
        links.append(f"payout {escape(item['payout_id'])}")
    if item.get("netsuite_id") and item.get("kind") in ("sync_error", "revert_invoice_in_netsuite"):
        url = common.netsuite_url(deps, session.status.get("account_id"), "invoice", item["netsuite_id"])
        links.append(common.netsuite_link(url, f"NetSuite record {item['netsuite_id']}"))
    return f"<span class='records'>({', '.join(links)})</span>" if links else ""


def router() -> APIRouter:
    routes = APIRouter()

    @routes.get("/dashboard/health")
    async def health(request: Request, tenant: str = "",
                     deps: Deps = Depends(current_deps)) -> Response:
        session = await common.connected_session(deps, request, tenant, "health", "Health")
        if not isinstance(session, common.Session):
            return session
        now = dt.datetime.now(dt.UTC)
        async with deps.pool.acquire() as connection:
            polled = await sync_store.polled_per_stream(connection, tenant)
            synced = await sync_store.synced_per_hour(connection, tenant)
        written, problem = await common.read(deps.settings.payment_reconciler_url, session.token,
                                             common.tenant_path(tenant, "payments-per-hour"))
        written_hours = [(timefmt.parse(row["hour"]), row["done"]) for row in (written or {}).get("items", [])]
        slots = svg_chart.hours(now)
        chart = svg_chart.bars("Records synced and payments written per hour, last 24 hours", slots,
                               [("records synced", svg_chart.per_hour(slots, synced)),
                                ("payments written", svg_chart.per_hour(slots, written_hours))], session.timezone)
        calls = netsuite_calls.TALLY.last_hour(account_label(session.status["account_id"]))
        body = (connection_card(session, now) + polls_card(session, polled, now, calls)
                + f"<section id='activity-chart'><h2>Last 24 hours</h2>{chart}"
                + (common.problem(f"Payments written: {problem}") if problem else "") + "</section>")
        return common.frame(request, session, "health", "Health", body)

    @routes.get("/dashboard/action-items")
    async def action_items(request: Request, tenant: str = "",
                           deps: Deps = Depends(current_deps)) -> Response:
        session = await common.signed_in(deps, request, tenant)
        if session is None:
            return common.to_login(tenant)
        if not session.status.get("account_id"):
            return common.not_connected(request, session, "action-items", "Action items")
        items = session.status.get("action_items") or []
        return common.frame(request, session, "action-items", f"Action items ({len(items)})",
                            items_by_kind(deps, session, items))

    return routes
