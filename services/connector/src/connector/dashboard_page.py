"""The partner dashboard's HTML: plain server-rendered pages, no front-end build. Pure functions."""
from __future__ import annotations

from html import escape

from connector import timefmt

STYLE = """
body{font-family:system-ui,sans-serif;margin:0;background:#f5f6f8;color:#1d2330}
header{background:#1d2330;color:#fff;padding:12px 24px}header a{color:#9cc3ff}
header label.refresh{float:right;margin:0;font-size:.9em}header input{min-width:0}
main{max-width:1100px;margin:0 auto;padding:16px 24px}
section{background:#fff;border:1px solid #dde1e8;border-radius:8px;padding:16px;margin:16px 0}
h2{margin-top:0;font-size:1.1em}.badge{padding:2px 10px;border-radius:10px;font-weight:600}
.pending{background:#fff3cd}.connected{background:#d4edda}.error{background:#f8d7da}.not_connected{background:#e2e3e5}
table{border-collapse:collapse;width:100%}td,th{border-bottom:1px solid #eee;padding:6px;text-align:left;font-size:.92em}
td.money{text-align:right;font-variant-numeric:tabular-nums}progress{width:100%;height:18px}
.flash{background:#e7f1ff;border:1px solid #b6d4fe;padding:8px;border-radius:6px}
label{display:block;margin:6px 0}select,input{padding:4px;min-width:260px}button{padding:6px 14px}
"""


# Auto-refresh the partner can turn off (WCAG 2.2.1; a <meta refresh> cannot be), paused while a form
# field has the focus so a refresh never eats what is being typed or chosen.
REFRESH = """<label class='refresh'><input type='checkbox' id='auto-refresh' checked> Refresh every {s} s</label>
<script>(function(){{var box=document.getElementById('auto-refresh'),key='sb-auto-refresh';
if(sessionStorage.getItem(key)==='off')box.checked=false;
box.addEventListener('change',function(){{sessionStorage.setItem(key,box.checked?'on':'off')}});
setInterval(function(){{var a=document.activeElement;
if(box.checked&&!(a&&a!==box&&/^(INPUT|SELECT|TEXTAREA)$/.test(a.tagName)))location.reload()}},{ms});}})();</script>"""


def layout(title: str, body: str, refresh_s: int | None = None) -> str:
    refresh = REFRESH.format(s=refresh_s, ms=refresh_s * 1000) if refresh_s else ""
    return (f"<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>{escape(title)}</title>"
            f"<style>{STYLE}</style></head><body><header><b>suitebridge</b> · Integrations → NetSuite{refresh}</header>"
            f"<main>{body}</main></body></html>")


def login_page(tenant_id: str, error: str | None = None) -> str:
    problem = f"<p class='flash' id='error'>{escape(error)}</p>" if error else ""
    return layout("Sign in", f"""<section><h2>Sign in</h2>{problem}
<form method="post" action="/dashboard/login">
<label>Tenant <input name="tenant" id="tenant" value="{escape(tenant_id)}"></label>
<label>Token <input name="token" id="token" type="password"></label>
<button type="submit" id="sign-in">Sign in</button></form></section>""")


def _money(value) -> str:
    return escape(str(value)) if value is not None else ""


def connection_section(tenant_id: str, status: dict, error: str | None = None) -> str:
    state = status.get("status", "not_connected")
    parts = [f"<h2>NetSuite <span class='badge {escape(state)}' id='status'>{escape(state)}</span></h2>"]
    if status.get("account_id"):
        parts.append(f"<p>Account <b id='account'>{escape(status['account_id'])}</b>"
                     f" · last sync <span id='last-sync'>{escape(timefmt.local(status.get('last_sync_at'), status.get('timezone')))}</span></p>")
    if status.get("last_error"):
        parts.append(f"<p class='flash' id='last-error'>{escape(status['last_error'])}</p>")
    sync = status.get("initial_sync")
    if sync:
        done, total = sync.get("records_synced", 0), max(sync.get("records_total", 0), 1)
        eta = sync.get("eta_seconds")
        parts.append(
            f"<p>Initial sync: phase <b id='phase'>{escape(sync.get('phase', ''))}</b>, "
            f"<span id='invoices-synced'>{sync.get('invoices_synced', 0)}</span> invoices, "
            f"{sync.get('customers_synced', 0)} customers" + (f", about {eta}s left" if eta else "") + "</p>"
            f"<progress max='{total}' value='{min(done, total)}'></progress>")
    parts.append(credentials_line(status.get("credentials"), status.get("timezone")))
    reminded = any(item.get("kind") == "reconnect_netsuite" for item in status.get("action_items") or [])
    if state in ("not_connected", "error") or reminded or error:
        parts.append(connect_forms(tenant_id, error))
    return "<section id='connection'>" + "".join(parts) + "</section>"


def credentials_line(credentials: dict | None, timezone: str | None = None) -> str:
    if not credentials:
        return ""
    if credentials.get("kind") == "tba":
        return "<p id='credentials'>Connected with a token-based authentication (TBA) token: it does not expire.</p>"
    until = credentials.get("refresh_expires_at")
    when = (f"reconnect before <b id='reconnect-before'>{escape(timefmt.local(until, timezone))}</b>" if until
            else "no expiry known")
    return f"<p id='credentials'>Connected with OAuth 2.0: {when} (NetSuite ends the authorization after 7 days).</p>"


def connect_forms(tenant_id: str, error: str | None = None) -> str:
    """Both ways to connect: OAuth 2.0 through NetSuite's consent page, or a TBA token set (secrets never shown)."""
    tenant = escape(tenant_id)
    problem = f"<p class='flash' id='tba-error'>{escape(error)}</p>" if error else ""
    return f"""<form method="post" action="/dashboard/connect?tenant={tenant}">
<label>NetSuite account ID (optional) <input name="account_id" id="account-id"></label>
<button type="submit" id="connect">Connect with OAuth 2.0</button></form>
<details id="tba"{' open' if error else ''}><summary>Or connect with a TBA token (does not expire)</summary>{problem}
<form method="post" action="/dashboard/tba?tenant={tenant}" autocomplete="off">
<label>NetSuite account ID <input name="account_id" id="tba-account-id" required></label>
<label>Consumer key <input name="consumer_key" id="tba-consumer-key"></label>
<label>Consumer secret <input name="consumer_secret" id="tba-consumer-secret" type="password"></label>
<label>Token ID <input name="token_id" id="tba-token-id" required></label>
<label>Token secret <input name="token_secret" id="tba-token-secret" type="password" required></label>
<button type="submit" id="connect-tba">Connect with TBA</button></form></details>"""


def accounts_section(tenant_id: str, status: dict, accounts: list[dict] | None) -> str:
    if status.get("status") != "connected" or accounts is None:
        return ""
    chosen = status.get("accounts") or {}
    kinds = [("undeposited_funds", "Undeposited Funds (payments land here)", lambda a: a.get("special") == "UndepFunds"),
             ("deposit_bank", "Deposit bank account (payouts land here)", lambda a: a.get("type") == "bank"),
             ("fee_expense", "Fee expense account (payout fees)", lambda a: a.get("type") == "expense"),
             ("platform_income", "Platform income account (surcharges, platform invoices)", lambda a: a.get("type") == "income")]
    fields = []
    for key, label, fits in kinds:
        options = "".join(
            f"<option value='{escape(str(a['id']))}'{' selected' if str(chosen.get(key)) == str(a['id']) else ''}>"
            f"{escape(str(a.get('number') or ''))} {escape(a['name'])}</option>" for a in accounts if fits(a))
        fields.append(f"<label>{escape(label)}<br><select name='{key}' id='{key}'><option value=''>—</option>{options}</select></label>")
    done = "" if chosen.get("undeposited_funds") and chosen.get("deposit_bank") else "<p class='flash'>Write-back waits until these are chosen.</p>"
    return (f"<section id='setup'><h2>Set Up Accounts</h2>{done}<form method='post' action='/dashboard/accounts?tenant={escape(tenant_id)}'>"
            + "".join(fields) + "<button type='submit' id='save-accounts'>Save</button></form></section>")


def action_items_section(status: dict) -> str:
    items = status.get("action_items") or []
    rows = "".join(f"<li data-kind='{escape(i.get('kind', ''))}'><b>{escape(i.get('kind', ''))}</b>: {escape(i.get('message', ''))}</li>" for i in items)
    return f"<section id='action-items'><h2>Action items ({len(items)})</h2><ul>{rows or '<li>Nothing to do.</li>'}</ul></section>"


def invoices_section(tenant_id: str, invoices: list[dict] | None, problem: str | None) -> str:
    if problem:
        return f"<section id='invoices'><h2>Invoices</h2><p class='flash'>{escape(problem)}</p></section>"
    rows = []
    for invoice in invoices or []:
        pdf = invoice.get("pdf") or {}
        link = (f"<a class='pdf' href='/dashboard/invoices/{escape(invoice['id'])}/pdf?tenant={escape(tenant_id)}'>PDF</a>"
                if pdf.get("available") else "—")
        rows.append(f"<tr data-invoice='{escape(invoice['id'])}'><td>{escape(invoice.get('number', ''))}</td>"
                    f"<td>{escape(timefmt.day(invoice.get('issued_on')))}</td><td>{escape(invoice.get('status', ''))}</td>"
                    f"<td class='money'>{_money(invoice.get('total'))} {escape(invoice.get('currency', ''))}</td>"
                    f"<td class='money'>{_money(invoice.get('amount_remaining'))}</td><td>{link}</td></tr>")
    head = "<tr><th>Number</th><th>Issued</th><th>Status</th><th>Total</th><th>Remaining</th><th>PDF</th></tr>"
    return f"<section id='invoices'><h2>Invoices ({len(rows)} shown)</h2><table>{head}{''.join(rows)}</table></section>"


def activity_section(invoices: list[dict] | None, timezone: str | None = None) -> str:
    recent = sorted(invoices or [], key=lambda i: i.get("updated_at") or "", reverse=True)[:8]
    rows = "".join(f"<li>{escape(timefmt.local(i.get('updated_at'), timezone))}: invoice {escape(i.get('number', ''))} → "
                   f"{escape(i.get('status', ''))}, remaining {_money(i.get('amount_remaining'))}</li>" for i in recent)
    return f"<section id='activity'><h2>Recent sync activity</h2><ul>{rows or '<li>No activity yet.</li>'}</ul></section>"
