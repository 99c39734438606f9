"""The partner's dashboard pages in real headless Chromium (issue 17), one browser for the module:
invoices newest first (filter, search, detail), payments and payouts with their states and NetSuite
links, health with its chart, action items, a tenant not connected yet, and sign-out. Every page
passes axe-core (injected into the page) with no serious or critical violations.

The stack runs as processes (``running``); the data comes the real way: a NetSuite emulator account
connected through OAuth, platform payments and a payout published on the platform topics."""
from __future__ import annotations

import asyncio
import datetime as dt
import uuid
from pathlib import Path

import httpx
import pytest
from selenium.common.exceptions import (JavascriptException, TimeoutException, WebDriverException)
from selenium.webdriver.common.by import By
from selenium.webdriver.support.select import Select

from devstack.demo import choose_accounts, connect_through_oauth
from sb_runtime.testing import wait_until

from .browsing import chromium, publish as _publish, waiting

pytestmark = pytest.mark.browser
AXE = Path(__file__).resolve().parent / "axe" / "node_modules" / "axe-core" / "axe.min.js"
BLOCKING = ("serious", "critical")


def _get(url: str, token: str, **params) -> dict:
    answer = httpx.get(url, headers={"Authorization": f"Bearer {token}"}, params=params, timeout=20)
    answer.raise_for_status()
    return answer.json()


@pytest.fixture(scope="module")
def partner(running, netsuite_account_module):
    return asyncio.run(_partner(running, netsuite_account_module))


async def _partner(running, netsuite_account_module) -> dict:
    """A connected tenant with invoices, a written payment, a stand-alone deposit, a payment in the
    wrong currency (an action item) and a payout waiting for a payment NetSuite has not seen."""
    tenant, account = f"msp-{uuid.uuid4().hex[:8]}", f"TSTDRV{uuid.uuid4().int % 10**7:07d}"
    netsuite_account_module(account, {"customers": 3, "invoices": 10, "months": 2, "random_seed": 5})
    connect_through_oauth(running["connector_url"], running["admin_token"], tenant, account)
    token, connector = running["admin_token"], running["connector_url"]

    async def connected():
        return _get(f"{connector}/v1/tenants/{tenant}/netsuite", token)["status"] == "connected"

    await wait_until(connected, timeout_s=180, interval_s=0.5, message="the initial sync")
    choose_accounts(connector, token, tenant)

    async def open_invoice():
        items = _get(f"{running['invoice_sync_url']}/v1/tenants/{tenant}/invoices", token, status="open")["items"]
        return items[0] if items else None

    invoice = await wait_until(open_invoice, timeout_s=120, message="an open invoice on the platform")
    ids = {name: f"pay_{name}_{uuid.uuid4().hex[:6]}" for name in ("written", "deposit", "mismatch", "missing")}
    bootstrap = running["kafka_bootstrap_servers"]
    other_currency = "EUR" if invoice["currency"] != "EUR" else "GBP"
    for name, invoice_id, currency in (("written", invoice["id"], invoice["currency"]),
                                       ("deposit", "inv_not_in_netsuite", invoice["currency"]),
                                       ("mismatch", invoice["id"], other_currency)):
        await _publish(bootstrap, "platform.payments.v1", tenant, "PaymentReceived", {
            "payment_id": ids[name], "invoice_id": invoice_id, "customer_id": invoice["customer_id"],
            "amount": "10.00", "currency": currency, "method": "ach", "received_at": "2026-11-26T10:15:00Z"})
    payout_id = f"po_{uuid.uuid4().hex[:8]}"
    await _publish(bootstrap, "platform.payouts.v1", tenant, "DepositPosted", {
        "payout_id": payout_id, "currency": invoice["currency"], "arrival_date": "2026-11-27",
        "gross_amount": "20.00", "fee_amount": "0.50", "net_amount": "19.50",
        "payment_ids": [ids["written"], ids["missing"]],
        "fees": [{"kind": "processing", "amount": "0.50", "description": "Card processing"}]})
    return {"tenant": tenant, "account": account, "invoice": invoice, "ids": ids, "payout_id": payout_id,
            "connector": connector, "token": token}


@pytest.fixture(scope="module")
def netsuite_account_module(running):
    def create(account_id: str, seed: dict) -> dict:
        answer = httpx.post(f"{running['netsuite_emulator_url']}/_emulator/accounts", timeout=120,
                            json={"account_id": account_id, "seed": seed, "concurrency_limit": 10})
        answer.raise_for_status()
        return answer.json()

    return create


@pytest.fixture(scope="module")
def browser():
    with chromium() as driver:
        yield driver


def visit(driver, partner: dict, page: str, tenant: str | None = None, **params) -> None:
    """Open a dashboard page, signing in first when the session is gone (sign-out is one of the tests)."""
    tenant = tenant or partner["tenant"]
    url = httpx.URL(f"{partner['connector']}/dashboard{'/' + page if page else ''}",
                    params={"tenant": tenant, **params})
    driver.get(str(url))
    if "/dashboard/login" in driver.current_url:
        driver.find_element(By.ID, "token").send_keys(partner["token"])
        driver.find_element(By.ID, "sign-in").click()
        waiting(driver, 30).until(lambda d: "/dashboard/login" not in d.current_url, "signed in")
        driver.get(str(url))


def reload_until(driver, condition, timeout_s: float, message: str):
    def check(d):
        d.refresh()
        return condition(d)

    return waiting(driver, timeout_s, 1.0).until(check, message)


AUTO_REFRESH = "var box = document.getElementById('auto-refresh'); if (box && box.checked !== arguments[0]) box.click();"


def serious_violations(driver) -> list[dict]:
    """axe-core's serious and critical violations on the current page. The page's auto-refresh is
    paused with its own switch while axe runs (a refresh would end the run), then switched on again."""
    source = AXE.read_text()
    last: list = []

    def run(d):
        try:
            d.execute_script(AUTO_REFRESH, False)
            d.execute_script(source)
            result = d.execute_async_script(
                "const done = arguments[arguments.length - 1];"
                "axe.run(document, {resultTypes: ['violations']}).then(r => done(r.violations.map("
                "v => ({id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map(n => n.target.join(' '))}))))"
                ".catch(e => done({error: String(e)}));")
        except (JavascriptException, TimeoutException, WebDriverException) as error:
            last[:] = [f"{type(error).__name__}: {str(error)[:300]}"]
            return None  # the page refreshed itself mid-run: run again on the new one
        last[:] = [result]
        return (result,) if isinstance(result, list) else None  # truthy even with no violations

    try:
        (found,) = waiting(driver, 60, 0.5).until(run)
    except TimeoutException:
        raise AssertionError(f"axe-core did not run to the end: {last}") from None
    driver.execute_script(AUTO_REFRESH, True)
    return [violation for violation in found if violation["impact"] in BLOCKING]


def text_of(driver, by, value) -> str:
    return waiting(driver, 30).until(lambda d: d.find_element(by, value).text)


def test_invoices_newest_first_filtered_searched_and_in_detail(browser, partner):
    visit(browser, partner, "invoices")
    rows = reload_until(browser, lambda d: d.find_elements(By.CSS_SELECTOR, "#invoice-list tr[data-invoice]"), 120,
                        "invoices listed")
    assert len(rows) >= 2

    def issued(d) -> list[dt.date]:
        cells = d.find_elements(By.CSS_SELECTOR, "#invoice-list tr[data-invoice] td:nth-child(3)")
        return [dt.datetime.strptime(cell.text, "%b %d, %Y").date() for cell in cells]

    dates = waiting(browser, 30).until(issued)
    assert dates == sorted(dates, reverse=True), "newest first"
    assert serious_violations(browser) == []

    visit(browser, partner, "invoices", status="open", q=partner["invoice"]["number"])
    numbers = waiting(browser, 30).until(lambda d: [a.text for a in d.find_elements(By.CSS_SELECTOR, "a.invoice")])
    assert numbers == [partner["invoice"]["number"]]
    assert Select(browser.find_element(By.ID, "status-filter")).first_selected_option.get_attribute("value") == "open"

    visit(browser, partner, f"invoices/{partner['invoice']['id']}")
    heading = text_of(browser, By.TAG_NAME, "h1")
    assert partner["invoice"]["number"] in heading
    link = waiting(browser, 30).until(lambda d: d.find_element(By.CSS_SELECTOR, "#invoice-detail a.netsuite"))
    assert link.get_attribute("href").endswith(f"/app/accounting/transactions/custinvc.nl?id={partner['invoice']['netsuite_id']}")
    assert browser.find_elements(By.CSS_SELECTOR, "#invoice-lines tr td")
    assert serious_violations(browser) == []


def test_payments_show_each_state_and_its_netsuite_record(browser, partner):
    ids = partner["ids"]
    visit(browser, partner, "payments")

    def states(d) -> dict[str, str] | None:
        found = {row.get_attribute("data-payment"): row.find_element(By.CSS_SELECTOR, ".state").text
                 for row in d.find_elements(By.CSS_SELECTOR, "#payment-list tr[data-payment]")}
        return found if found.get(ids["written"]) == "Written" and ids["mismatch"] in found \
            and found.get(ids["deposit"]) == "Stand-alone deposit" else None

    shown = reload_until(browser, states, 120, "the written payment, the deposit and the mismatch")
    assert shown[ids["mismatch"]] == "Action item"
    row = browser.find_element(By.CSS_SELECTOR, f"tr[data-payment='{ids['written']}']")
    href = row.find_element(By.CSS_SELECTOR, "a.netsuite").get_attribute("href")
    assert "/app/accounting/transactions/custpymt.nl?id=" in href
    deposit = browser.find_element(By.CSS_SELECTOR, f"tr[data-payment='{ids['deposit']}'] a.netsuite")
    assert "/app/accounting/transactions/deposit.nl?id=" in deposit.get_attribute("href")
    assert serious_violations(browser) == []


def test_payouts_show_what_they_wait_for_and_fees_as_booked(browser, partner):
    visit(browser, partner, "payouts")
    row = reload_until(browser, lambda d: d.find_elements(By.CSS_SELECTOR, f"tr[data-payout='{partner['payout_id']}']"),
                       120, "the payout")[0]
    waiting(browser, 30).until(lambda d: partner["ids"]["missing"] in d.find_element(
        By.CSS_SELECTOR, f"tr[data-payout='{partner['payout_id']}']").get_attribute("textContent"))
    text = browser.find_element(By.CSS_SELECTOR, f"tr[data-payout='{partner['payout_id']}']").text
    assert "Waiting" in text and "Card processing: 0.50" in text
    assert row is not None
    assert serious_violations(browser) == []

    def retry(d) -> bool:  # a waiting payout can be retried now (the page may re-render under us)
        d.find_element(By.CSS_SELECTOR, f"tr[data-payout='{partner['payout_id']}'] button.retry").click()
        return True

    waiting(browser, 30).until(retry, "the retry button")
    assert "Retry scheduled" in text_of(browser, By.ID, "retry-result")


def test_health_shows_connection_polls_calls_and_the_chart(browser, partner):
    visit(browser, partner, "health")
    assert text_of(browser, By.ID, "health-status") == "Connected"
    assert "Reconnect before" in text_of(browser, By.ID, "connection-health")
    assert int(text_of(browser, By.ID, "calls")) > 0
    bars = waiting(browser, 30).until(lambda d: d.find_elements(By.CSS_SELECTOR, "svg#chart rect.bar"))
    assert len(bars) == 48
    synced = int(text_of(browser, By.CSS_SELECTOR, ".total[data-series='0']"))
    assert synced > 0
    reload_until(browser, lambda d: int(d.find_element(By.CSS_SELECTOR, ".total[data-series='1']").text) >= 1, 120,
                 "the written payment in the chart")
    assert serious_violations(browser) == []


def test_action_items_grouped_by_kind_with_what_to_do(browser, partner):
    visit(browser, partner, "action-items")
    group = reload_until(browser, lambda d: d.find_elements(By.CSS_SELECTOR, "section[data-kind='currency_mismatch']"),
                         120, "the currency mismatch item")[0]
    assert "What to do" in group.text and partner["ids"]["mismatch"] in group.text
    assert serious_violations(browser) == []


def test_a_tenant_not_connected_is_told_what_to_do(browser, partner):
    visit(browser, partner, "payments", tenant=f"msp-new-{uuid.uuid4().hex[:6]}")
    assert "NetSuite is not connected yet" in text_of(browser, By.ID, "not-connected")
    assert serious_violations(browser) == []


def test_sign_out_ends_the_session(browser, partner):
    visit(browser, partner, "health")

    def sign_out(d) -> bool:
        d.find_element(By.ID, "sign-out").click()
        return True

    waiting(browser, 30).until(sign_out, "signed out")
    waiting(browser, 30).until(lambda d: "/dashboard/login" in d.current_url, "the sign-in page")
    browser.get(f"{partner['connector']}/dashboard/payments?tenant={partner['tenant']}")
    assert "/dashboard/login" in browser.current_url
    assert serious_violations(browser) == []
