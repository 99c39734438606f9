"""A partner in real headless Chromium: signs in, connects NetSuite through its authorize page,
waits for *connected*, sets up accounts and opens an invoice's PDF."""
from __future__ import annotations

import uuid

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.select import Select

from .browsing import chromium, waiting

pytestmark = pytest.mark.browser


@pytest.fixture
def browser():
    with chromium() as driver:
        yield driver


def reload_until(driver, condition, timeout_s: float, message: str):
    """The dashboard re-renders on load: reload until the condition holds (no fixed sleeps)."""
    def check(d):
        d.refresh()
        return condition(d)

    return waiting(driver, timeout_s, 1.0).until(check, message)


def test_partner_connects_sets_up_accounts_and_opens_a_pdf(running, browser, netsuite_account):
    tenant = f"msp-{uuid.uuid4().hex[:8]}"
    account = f"TSTDRV{uuid.uuid4().int % 10**7:07d}"
    netsuite_account(account, {"customers": 4, "invoices": 12, "months": 3, "random_seed": 3})
    connector = running["connector_url"]

    browser.get(f"{connector}/dashboard/login?tenant={tenant}")
    browser.find_element(By.ID, "token").send_keys(running["admin_token"])
    browser.find_element(By.ID, "sign-in").click()
    waiting(browser, 30).until(lambda d: d.find_element(By.ID, "status").text == "not_connected")

    browser.find_element(By.ID, "account-id").send_keys(account)
    browser.find_element(By.ID, "connect").click()
    allow = waiting(browser, 30).until(lambda d: d.find_element(By.CSS_SELECTOR, "button[value=allow]"))
    assert account in browser.page_source  # NetSuite's page names the account being authorized
    allow.click()
    waiting(browser, 60).until(lambda d: "NetSuite connected" in d.page_source, "the callback page")

    browser.get(f"{connector}/dashboard?tenant={tenant}")
    reload_until(browser, lambda d: d.find_element(By.ID, "status").text == "connected", 180, "connected")

    def fill_and_save(driver) -> bool:  # the page refreshes itself: a stale element means fill the new one
        for field in ("undeposited_funds", "deposit_bank", "fee_expense", "platform_income"):
            Select(driver.find_element(By.ID, field)).select_by_index(1)
        driver.find_element(By.ID, "save-accounts").click()
        return True

    waiting(browser, 30).until(fill_and_save, "the account form saved")
    waiting(browser, 30).until(lambda d: d.find_element(By.ID, "status").text == "connected")
    assert waiting(browser, 30).until(
        lambda d: Select(d.find_element(By.ID, "deposit_bank")).first_selected_option.get_attribute("value"),
        "the saved deposit bank shown")

    link = reload_until(browser, lambda d: d.find_elements(By.CSS_SELECTOR, "a.pdf"), 180, "a PDF link")[0]
    href = link.get_attribute("href")
    fetched = browser.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "fetch(arguments[0]).then(async r => { const b = new Uint8Array(await r.arrayBuffer());"
        " done([r.status, r.headers.get('content-type'), String.fromCharCode(...b.slice(0, 5))]); });", href)
    assert fetched == [200, "application/pdf", "%PDF-"]
