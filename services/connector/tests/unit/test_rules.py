"""Pure rules: mapping rows to events, time zones, queries, bisecting bad details, setup, ETA, crypto."""
from __future__ import annotations

import datetime as dt

import pytest
from netsuite_client import PermanentNetSuiteError

from connector import clock, mapping, setup, status, streams, sync_store
from connector.cli import describe
from connector.crypto import TokenCipher
from connector.errors import MappingError
from connector.initial_sync import months_back, rows_per_range, split
from connector.netsuite import NetSuiteReader

CONTEXT = mapping.Context("acme", "America/Los_Angeles")
HEADER = {"id": "901", "tranid": "INV1042", "entity": "55", "customer_name": "Acme Ltd", "currency_code": "USD",
          "subsidiary": "1", "issued_on": "2026-11-01", "due_on": "2026-12-01", "foreigntotal": "250",
          "foreignamountpaid": "100", "foreignamountunpaid": "150", "status": "A", "voided": "F",
          "modified": "2026-11-20 09:15:07"}
LINE = {"document_id": "901", "uniquekey": "3", "line": "1", "item": "MS-PRO", "memo": "Managed services",
        "quantity": "-1", "rate": "250", "foreignamount": "-250"}


def test_an_invoice_row_with_its_lines_becomes_invoice_changed():
    event = mapping.invoice(CONTEXT, HEADER, [LINE])
    data = event.data
    assert event.event_type == "InvoiceChanged" and event.kafka_key() == b"acme:901"
    assert (data.total, data.amount_remaining, data.netsuite_status) == (250, 150, "open")
    assert data.lines[0].quantity == 1 and str(data.lines[0].amount) == "250.00"  # SuiteQL signs undone
    assert data.last_modified == dt.datetime(2026, 11, 20, 17, 15, 7, tzinfo=dt.UTC)  # PST -> UTC
    assert not data.echo


def test_event_ids_repeat_for_a_reread_row_and_differ_for_a_same_second_edit():
    first = mapping.invoice(CONTEXT, HEADER, [LINE])
    again = mapping.invoice(CONTEXT, dict(HEADER), [dict(LINE)])
    edited = mapping.invoice(CONTEXT, {**HEADER, "memo": "changed within the same second"}, [LINE])
    assert first.event_id == again.event_id
    assert edited.event_id != first.event_id


def test_voided_invoices_are_archived_and_echoes_are_marked():
    assert mapping.invoice(CONTEXT, {**HEADER, "voided": "T"}, []).data.reason == "voided"
    assert mapping.invoice(CONTEXT, {**HEADER, "externalid": "sb-inv-acme-1"}, [LINE]).data.echo
    payment = mapping.payment(CONTEXT, {"id": "7", "entity": "55", "currency_code": "USD", "foreigntotal": "10",
                                        "status": "C", "externalid": "sb-pay-acme-p1", "modified": HEADER["modified"]},
                              [{"document_id": "7", "invoice_id": "901", "foreignamount": "10"}])
    assert payment.data.echo and payment.data.deposited and payment.data.applications[0].invoice_netsuite_id == "901"


@pytest.mark.parametrize(("change", "reason"), [
    ({"currency_code": "US$"}, "unknown currency"),
    ({"foreigntotal": "12,50"}, "not a number"),
    ({"issued_on": "yesterday"}, "not a date"),
    ({"tranid": None}, "tranid is missing"),
])
def test_bad_rows_raise_a_mapping_error_naming_the_problem(change, reason):
    row = {key: value for key, value in {**HEADER, **change}.items() if value is not None}
    with pytest.raises(MappingError, match=reason):
        mapping.invoice(CONTEXT, row, [LINE])


def test_credit_memos_carry_their_size_and_deposits_their_payments():
    credit = mapping.credit_memo(CONTEXT, {"id": "8", "entity": "55", "currency_code": "USD", "foreigntotal": "-20",
                                           "modified": HEADER["modified"]}, [])
    assert str(credit.data.amount) == "20.00"
    deposit = mapping.deposit(CONTEXT, {"id": "9", "foreigntotal": "30", "modified": HEADER["modified"]}, [
        {"document_id": "9", "kind": "header", "account": "1"},
        {"document_id": "9", "kind": "payment", "payment_id": "12"},
        {"document_id": "9", "kind": "payment", "payment_id": "7"}])
    assert deposit.data.account_netsuite_id == "1" and deposit.data.payment_netsuite_ids == ["7", "12"]


@pytest.mark.parametrize("total", ["-75", "75"])
def test_a_payment_carries_its_size_whichever_sign_suiteql_shows(total):
    row = {"id": "12", "entity": "55", "currency_code": "USD", "foreigntotal": total, "status": "B",
           "modified": HEADER["modified"]}
    assert str(mapping.payment(CONTEXT, row, []).data.amount) == "75.00"


def test_time_zone_detection_prefers_the_default_and_falls_back_to_a_fixed_offset():
    utc = dt.datetime(2026, 1, 15, 12, 0, tzinfo=dt.UTC)
    assert clock.detect_timezone("2026-01-15 04:00:00", utc, ["America/Los_Angeles"]) == "America/Los_Angeles"
    assert clock.detect_timezone("2026-01-15 13:00:00", utc, ["America/Los_Angeles"]) == "Etc/GMT-1"
    assert clock.detect_timezone("2026-01-15 12:00:00", utc, ["America/Los_Angeles"]) == "UTC"
    india = clock.detect_timezone("2026-01-15 17:30:00", utc, [])
    assert utc.astimezone(clock.zone(india)).utcoffset() == dt.timedelta(hours=5, minutes=30)


def test_changed_query_pages_by_keyset_on_modified_and_id():
    first = streams.PAYMENTS.changed_query("2026-11-20 09:00:00", None)
    assert "t.lastmodifieddate >= TO_TIMESTAMP('2026-11-20 09:00:00'" in first
    assert first.endswith("ORDER BY t.lastmodifieddate, t.id")
    later = streams.PAYMENTS.changed_query("2026-11-20 09:00:00", ("2026-11-20 09:15:07", "901"))
    assert "t.lastmodifieddate = TO_TIMESTAMP('2026-11-20 09:15:07', 'YYYY-MM-DD HH24:MI:SS') AND t.id > 901" in later


def test_invoices_are_polled_with_their_lines_keyset_on_modified_id_and_line():
    first = streams.INVOICES.changed_query("2026-11-20 09:00:00", None)
    assert " LEFT JOIN transactionline tl ON tl.transaction = t.id AND tl.mainline = 'F'" in first
    assert first.endswith("ORDER BY t.lastmodifieddate, t.id, tl.uniquekey")
    within = streams.INVOICES.changed_query("2026-11-20 09:00:00", ("2026-11-20 09:15:07", "901", "7005"))
    assert ("t.lastmodifieddate >= TO_TIMESTAMP('2026-11-20 09:15:07', 'YYYY-MM-DD HH24:MI:SS') AND "
            "(t.lastmodifieddate > TO_TIMESTAMP('2026-11-20 09:15:07', 'YYYY-MM-DD HH24:MI:SS') OR t.id > 901 OR "
            "(t.id = 901 AND tl.uniquekey > 7005))") in within
    past = streams.INVOICES.changed_query("2026-11-20 09:00:00", ("2026-11-20 09:15:07", "901", None))
    assert "tl.uniquekey >" not in past and "OR t.id > 901)" in past
    # The overlap window (read again on every poll) comes without its lines: one row per invoice.
    fresh = streams.INVOICES.changed_query("2026-11-20 08:58:00", None, "2026-11-20 09:00:00")
    assert ("tl.kitcomponent = 'F' AND t.lastmodifieddate >= TO_TIMESTAMP('2026-11-20 09:00:00', "
            "'YYYY-MM-DD HH24:MI:SS') WHERE") in fresh
    header, line = streams.split_joined({"id": "901", "memo": "header", "d_line": "2", "d_memo": "widget"})
    assert header == {"id": "901", "memo": "header"} and line == {"line": "2", "memo": "widget"}
    assert streams.split_joined({"id": "902", "due_on": "2026-12-01"}) == ({"id": "902", "due_on": "2026-12-01"}, None)
    initial = streams.INVOICES.initial_query("history", "2025-11-26", 500)
    assert "t.trandate < TO_DATE('2025-11-26', 'YYYY-MM-DD') AND t.id > 500 ORDER BY t.id" in initial
    assert not streams.CUSTOMERS.in_phase("history") and streams.CUSTOMERS.in_phase("recent")


def test_a_phase_is_cut_into_ranges_that_cover_every_id_once_and_leave_the_last_open():
    ranges = split(9_000, 101, 30_100, 2_000)
    assert len(ranges) == 5
    assert ranges[0][0] == 0 and ranges[-1][1] is None  # records created meanwhile land in the last
    assert all(upper == after for (_, upper), (after, _) in zip(ranges, ranges[1:]))  # no gap, no overlap
    assert split(0, None, None, 2_000) == [(0, None)]
    assert len(split(10_000_000, 1, 10_000_000, 2_000)) == 64  # bounded checkpoint rows
    query = streams.INVOICES.initial_query("recent", "2025-11-26", 500, 900)
    assert "t.id > 500 AND t.id <= 900 ORDER BY t.id" in query


def test_streams_read_one_record_at_a_time_get_short_ranges():
    assert rows_per_range(streams.DEPOSITS, 1000) < rows_per_range(streams.INVOICES, 1000) == 2000


class FakeSuiteQL:
    """Fails any query naming a forbidden id (a record the role cannot read), or every query."""

    def __init__(self, forbidden: set[str], everything: bool = False):
        self.forbidden, self.everything, self.calls = forbidden, everything, 0

    async def query_all(self, query: str, **_):
        self.calls += 1
        ids = query.split("IN (")[1].split(")")[0].split(", ")
        if self.everything or self.forbidden & set(ids):
            raise PermanentNetSuiteError("Record 'transactionline' was not found.", status=400)
        return [{"document_id": record_id, "line": "1"} for record_id in ids]


class FakeClient:
    def __init__(self, suiteql):
        self.suiteql = suiteql


async def test_details_bisect_to_the_unreadable_record_and_stop_early_when_all_fail():
    ids = [str(n) for n in range(1, 65)]
    one_bad = FakeSuiteQL({"17"})
    found = await NetSuiteReader(FakeClient(one_bad), 1000, "s", "d").details(streams.INVOICE_LINES, ids)
    assert set(found.failed) == {"17"} and len(found.rows) == 63
    assert one_bad.calls <= 2 * 7 + 1
    all_bad = FakeSuiteQL(set(), everything=True)
    found = await NetSuiteReader(FakeClient(all_bad), 1000, "s", "d").details(streams.INVOICE_LINES, ids)
    assert len(found.failed) == 64 and all_bad.calls <= 12  # a query-wide failure costs ~log2(n) calls


def test_account_choices_are_validated_by_kind():
    accounts = [setup.account_item(row) for row in (
        {"id": "1", "fullname": "Checking", "accttype": "Bank"},
        {"id": "3", "fullname": "Undeposited Funds", "accttype": "OthCurrAsset", "sspecacct": "UndepFunds"},
        {"id": "9", "fullname": "Platform Income", "accttype": "Income"},
        {"id": "10", "fullname": "Fees", "accttype": "Expense"})]
    setup.validate({"undeposited_funds": "3", "deposit_bank": "1", "fee_expense": "10", "platform_income": "9"},
                   accounts)
    with pytest.raises(setup.InvalidChoice, match="deposit_bank: account 3 .* is not a bank account"):
        setup.validate({"undeposited_funds": "3", "deposit_bank": "3"}, accounts)
    with pytest.raises(setup.InvalidChoice, match="fee_expense: there is no active NetSuite account 77"):
        setup.validate({"undeposited_funds": "3", "deposit_bank": "1", "fee_expense": "77"}, accounts)


def test_eta_and_the_progress_line():
    started = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    state = sync_store.InitialSync("A", "recent", dt.date(2025, 1, 1), {"invoices": 1000, "customers": 100},
                                   {"invoices": 450, "customers": 100}, started, None)
    assert status.eta_seconds(state, started + dt.timedelta(seconds=55)) == 55
    view = status.initial_sync_view(state, started + dt.timedelta(seconds=55))
    done, total, text = describe({"status": "pending", "initial_sync": view})
    assert (done, total) == (550, 1100) and "phase recent" in text and "invoices 450/1000" in text


def test_months_back_keeps_the_day_within_the_month():
    assert months_back(dt.date(2026, 3, 31), 12) == dt.date(2025, 3, 31)
    assert months_back(dt.date(2024, 2, 29), 12) == dt.date(2023, 2, 28)


def test_tokens_survive_a_key_rotation():
    old = TokenCipher(["old-key"])
    sealed = old.encrypt("refresh-token")
    rotated = TokenCipher(["new-key", "old-key"])
    assert rotated.decrypt(sealed) == "refresh-token"
    resealed = rotated.rotate(sealed)
    assert TokenCipher(["new-key"]).decrypt(resealed) == "refresh-token"
    with pytest.raises(Exception, match="cannot be decrypted"):
        TokenCipher(["other"]).decrypt(sealed)


def test_an_event_of_a_switched_to_account_carries_its_id_scope_and_another_event_id():
    first = mapping.invoice(CONTEXT, HEADER, [LINE])
    scoped = mapping.invoice(mapping.Context("acme", "America/Los_Angeles", "TSTDRV2"), HEADER, [LINE])
    assert "id_scope" not in first.model_dump(exclude_unset=True)["data"]  # the first account's events are unchanged
    assert scoped.data.id_scope == "TSTDRV2" and scoped.event_id != first.event_id


async def test_a_chosen_account_without_a_currency_takes_the_base_currency_asked_once():
    accounts = [{"id": "1", "currency": "CAD"}, {"id": "3", "currency": None}, {"id": "9", "currency": None}]
    asked = []

    async def base_currency():
        asked.append(1)
        return "USD"

    choice = {"deposit_bank": "1", "undeposited_funds": "3", "platform_income": "9", "fee_expense": None}
    assert await setup.chosen_currencies(choice, accounts, base_currency) == {
        "deposit_bank": "CAD", "undeposited_funds": "USD", "platform_income": "USD"}
    assert len(asked) == 1

    async def unreadable():
        return None  # a single-currency account: the currency record is not exposed

    assert await setup.chosen_currencies(choice, accounts, unreadable) == {"deposit_bank": "CAD"}
