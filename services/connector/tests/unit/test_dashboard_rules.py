"""The dashboard's pure parts: times in the account's zone, NetSuite links, the call tally, the SVG
chart, and escaping of everything NetSuite or the platform can put on a page."""
from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import httpx

from connector import dashboard_common, dashboard_health, dashboard_invoices, dashboard_payments, svg_chart, timefmt
from connector.netsuite_calls import CallTally, account_key
from connector.settings import HOST_BASED_APP

DEPS = SimpleNamespace(settings=SimpleNamespace(netsuite_app_base_template=HOST_BASED_APP))
EVIL = "<script>alert(1)</script>"


def session(**status) -> dashboard_common.Session:
    return dashboard_common.Session("t-1", "token", {"account_id": "1234567_SB1", "status": "connected",
                                                     "timezone": "America/Los_Angeles", **status})


def test_times_are_shown_in_the_accounts_zone_and_readable():
    assert timefmt.local("2026-12-06T03:04:00Z", "America/Los_Angeles") == "Dec 5, 2026, 7:04 PM PST"
    assert timefmt.local("2026-07-01T12:00:00+00:00", "America/Los_Angeles") == "Jul 1, 2026, 5:00 AM PDT"
    assert timefmt.local("2026-12-06T03:04:00Z", "Etc/GMT-2") == "Dec 6, 2026, 5:04 AM UTC+02:00"
    assert timefmt.local(None, "UTC") == "—" and timefmt.local("2026-12-06T03:04:00Z", "No/Such") .endswith("UTC")
    assert timefmt.day("2026-12-06") == "Dec 6, 2026"


def test_netsuite_links_use_the_accounts_host_label():
    url = dashboard_common.netsuite_url(DEPS, "1234567_SB1", "customerpayment", "42")
    assert url == "https://1234567-sb1.app.netsuite.com/app/accounting/transactions/custpymt.nl?id=42"
    assert dashboard_common.netsuite_url(DEPS, "TSTDRV7001", "deposit", "7").startswith("https://tstdrv7001.app.")
    assert dashboard_common.netsuite_url(DEPS, "1234567", "invoice", None) is None
    assert dashboard_common.netsuite_url(DEPS, "not an account", "invoice", "1") is None


def test_calls_and_429s_are_counted_per_account_for_the_last_hour():
    now = [0.0]
    tally = CallTally(clock=lambda: now[0])
    tally.record("1234567-sb1", 200)
    tally.record("1234567-sb1", 429)
    tally.record("other", 200)
    assert tally.last_hour("1234567-sb1") == (2, 1)
    now[0] = 3601.0
    tally.record("1234567-sb1", 200)
    assert tally.last_hour("1234567-sb1") == (1, 0)
    assert account_key(httpx.URL("https://1234567-sb1.suitetalk.api.netsuite.com/services/rest/x")) == "1234567-sb1"
    assert account_key(httpx.URL("http://127.0.0.1:9/accounts/1234567_SB1/services/rest/x")) == "1234567-sb1"
    assert account_key(httpx.URL("https://example.com/x")) is None


def test_the_chart_has_two_bars_per_hour_and_the_totals():
    now = dt.datetime(2026, 12, 6, 3, 30, tzinfo=dt.UTC)
    slots = svg_chart.hours(now)
    assert len(slots) == 24 and slots[-1] == dt.datetime(2026, 12, 6, 3, tzinfo=dt.UTC)
    synced = svg_chart.per_hour(slots, [(dt.datetime(2026, 12, 6, 3, 10, tzinfo=dt.UTC), 7)])
    assert synced[-1] == 7 and sum(synced) == 7
    svg = svg_chart.bars(EVIL, slots, [("records synced", synced), ("payments written", [1] * 24)], "UTC")
    assert svg.count("<rect class='bar") == 48 and "data-series='1'>24<" in svg and EVIL not in svg


def test_everything_from_netsuite_or_the_platform_is_escaped():
    invoices = dashboard_invoices.invoice_rows(DEPS, session(), [{"id": EVIL, "number": EVIL, "customer_name": EVIL,
                                                                   "status": EVIL, "netsuite_id": "1"}])
    payments = dashboard_payments.payment_rows(DEPS, session(), [{"payment_id": EVIL, "state": "waiting", "reason": EVIL,
                                                                   "invoice_id": EVIL, "retryable": True}])
    payouts = dashboard_payments.payout_rows(DEPS, session(), [{"payout_id": EVIL, "state": "waiting",
                                                                 "waiting_for": [EVIL], "fees": [{"kind": EVIL}]}])
    items = dashboard_health.items_by_kind(DEPS, session(), [{"kind": EVIL, "message": EVIL, "item_id": EVIL,
                                                              "invoice_id": EVIL}])
    for html in (invoices, payments, payouts, items):
        assert "<script>" not in html and "&lt;script&gt;" in html


def test_payment_states_say_what_happened_and_what_it_waits_for():
    assert dashboard_payments.payment_state({"state": "written", "origin": "platform"})[1] == "Stand-alone deposit"
    assert dashboard_payments.payment_state({"state": "written", "origin": "netsuite"})[1] == "Written"
    assert dashboard_payments.payment_state({"state": "waiting", "reason": "Waiting for the account setup"})[2] \
        == "Waiting for the account setup"
    assert dashboard_payments.payment_state({"state": "pending", "attempts": 2, "last_error": "503"})[1] == "Retrying"
    assert dashboard_payments.payout_state({"state": "action_needed", "difference": "-1.00", "currency": "USD"})[1] \
        == "Does not balance"
