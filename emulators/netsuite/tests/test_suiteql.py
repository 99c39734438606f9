"""SuiteQL: the Oracle dialect, typing of rows, the paging envelope and the row cap."""

import re

import pytest

CONNECTOR_QUERIES = [
    """SELECT t.id, t.tranid, t.entity, BUILTIN.DF(t.entity) AS customer_name, t.trandate, t.duedate, t.currency,
       BUILTIN.DF(t.currency) AS currency_code, t.foreigntotal, t.foreignamountunpaid, t.foreignamountpaid, t.status,
       t.memo, t.externalid, t.voided, TO_CHAR(t.lastmodifieddate, 'YYYY-MM-DD HH24:MI:SS') AS lastmodified,
       TO_CHAR(t.trandate, 'YYYY-MM-DD') AS trandate_iso, TO_CHAR(t.duedate, 'YYYY-MM-DD') AS duedate_iso
     FROM transaction t
     WHERE t.type = 'CustInvc' AND (t.lastmodifieddate > TO_TIMESTAMP('2000-11-26 10:00:00', 'YYYY-MM-DD HH24:MI:SS')
       OR (t.lastmodifieddate = TO_TIMESTAMP('2000-11-26 10:00:00', 'YYYY-MM-DD HH24:MI:SS') AND t.id > 901))
     ORDER BY t.lastmodifieddate, t.id
     FETCH FIRST 1000 ROWS ONLY;""",
    """SELECT tl.transaction, tl.id, tl.linesequencenumber, BUILTIN.DF(tl.item) AS item_name, tl.memo, tl.quantity,
       tl.rate, tl.foreignamount
     FROM transactionline tl WHERE tl.mainline = 'F' AND tl.transaction IN (101, 102, 103)
     ORDER BY tl.transaction, tl.linesequencenumber""",
    """SELECT id, entityid, companyname, email, BUILTIN.DF(currency) AS currency_code, isinactive,
       TO_CHAR(lastmodifieddate, 'YYYY-MM-DD HH24:MI:SS') AS lastmodified FROM customer WHERE id > 0 ORDER BY id""",
    """SELECT recordid, recordtypeid, TO_CHAR(deleteddate, 'YYYY-MM-DD HH24:MI:SS') AS deleted FROM deletedrecord
     WHERE deleteddate >= TO_TIMESTAMP('2000-11-26 09:59:00','YYYY-MM-DD HH24:MI:SS') ORDER BY deleteddate""",
    "SELECT l.previousdoc, l.nextdoc, l.nexttype, l.foreignamount FROM NextTransactionLineLink l WHERE l.previousdoc IN (101, 102)",
    "SELECT id, acctnumber, fullname, accttype, sspecacct, BUILTIN.DF(currency) AS currency_code FROM account WHERE isinactive = 'F'",
    "SELECT COUNT(*) AS n FROM transaction WHERE type = 'CustInvc' AND trandate >= TO_DATE('2000-11-26', 'YYYY-MM-DD')",
]


@pytest.mark.parametrize("query", CONNECTOR_QUERIES)
def test_connector_queries_run(ns, query):
    result = ns.suiteql(query)
    assert result["count"] > 0 or "deletedrecord" in query
    for row in result["items"]:
        assert row["links"] == []
        assert all(isinstance(value, str) for key, value in row.items() if key != "links")
        assert all(key == key.lower() for key in row)


def test_invoice_rows_are_typed_like_netsuite(ns):
    rows = ns.suiteql(CONNECTOR_QUERIES[0])["items"]
    assert len(rows) == 30
    row = rows[0]
    assert re.fullmatch(r"\d{1,2}/\d{1,2}/\d{4}", row["trandate"])
    assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d", row["lastmodified"])
    assert re.fullmatch(r"\d{4}-\d\d-\d\d", row["trandate_iso"])
    assert row["voided"] in ("T", "F") and row["status"] in ("A", "B", "V")
    assert row["currency_code"] in ("USD", "EUR", "GBP") and row["customer_name"]
    assert "memo" not in row and "externalid" not in row  # NULL columns are left out
    keys = [(row["lastmodified"], int(row["id"])) for row in rows]
    assert keys == sorted(keys)


def test_to_timestamp_is_in_account_time_zone(blank, emulator):
    invoice_id = blank.create("invoice", {"entity": {"id": "1"}, "item": {"items": [{"item": {"id": "1"}, "rate": 5}]}})
    local = blank.suiteql(f"SELECT TO_CHAR(lastmodifieddate, 'YYYY-MM-DD HH24:MI:SS') AS m FROM transaction "
                          f"WHERE id = {invoice_id}")["items"][0]["m"]
    iso = blank.record("invoice", invoice_id)["lastModifiedDate"]
    assert local[:16] != iso.replace("T", " ")[:16]  # Los Angeles is never UTC
    same = blank.suiteql(f"SELECT id FROM transaction WHERE lastmodifieddate = TO_TIMESTAMP('{local}', "
                         f"'YYYY-MM-DD HH24:MI:SS') AND id = {invoice_id}")
    later = blank.suiteql(f"SELECT id FROM transaction WHERE lastmodifieddate > TO_TIMESTAMP('{local}', "
                          f"'YYYY-MM-DD HH24:MI:SS') AND id = {invoice_id}")
    assert same["count"] == 1 and later["count"] == 0
    emulator.patch_account(blank.account_id, timezone="UTC")
    utc = blank.suiteql(f"SELECT TO_CHAR(lastmodifieddate, 'YYYY-MM-DD\"T\"HH24:MI') AS m FROM transaction "
                        f"WHERE id = {invoice_id}")["items"][0]["m"]
    assert utc == iso[:16]


def test_functions_nvl_builtin_rownum_fetch(ns):
    rows = ns.suiteql("SELECT id, NVL(memo, 'no memo') AS memo, BUILTIN.DF(status) AS status_text, "
                      "BUILTIN.CF(status) AS criteria FROM transaction WHERE type = 'CustInvc' ORDER BY id "
                      "FETCH FIRST 3 ROWS ONLY")
    assert rows["count"] == 3 and rows["totalResults"] == 3
    assert rows["items"][0]["memo"] == "no memo"
    assert rows["items"][0]["criteria"].startswith("CustInvc:")
    assert rows["items"][0]["status_text"] in ("Invoice : Open", "Invoice : Paid In Full", "Invoice : Voided")
    limited = ns.suiteql("SELECT * FROM (SELECT id FROM customer ORDER BY id DESC) WHERE ROWNUM <= 2")
    assert [row["id"] for row in limited["items"]] == ["6", "5"]
    numbered = ns.suiteql("SELECT ROWNUM AS n, id FROM customer WHERE ROWNUM < 3 ORDER BY id")
    assert [row["n"] for row in numbered["items"]] == ["1", "2"]
    unnamed = ns.suiteql("SELECT COUNT(*) FROM customer")["items"][0]
    assert unnamed == {"links": [], "expr1": "6"}


def test_dates_render_in_user_format_and_to_char_models(ns, emulator):
    row = ns.suiteql("SELECT trandate, TO_CHAR(trandate, 'DD-MON-YYYY') AS d, TO_CHAR(trandate, 'Month') AS m "
                     "FROM transaction WHERE type = 'CustInvc' ORDER BY id FETCH FIRST 1 ROWS ONLY")["items"][0]
    month, day, year = row["trandate"].split("/")
    assert row["d"] == f"{int(day):02d}-{row['d'][3:6]}-{year}" and row["d"][3:6].isupper()
    emulator.patch_account(ns.account_id, date_format="DD/MM/YYYY")
    again = ns.suiteql("SELECT trandate FROM transaction WHERE type = 'CustInvc' ORDER BY id FETCH FIRST 1 ROWS ONLY")
    assert again["items"][0]["trandate"] == f"{int(day):02d}/{int(month):02d}/{year}"


def test_date_arithmetic_and_sysdate(ns):
    recent = ns.suiteql("SELECT COUNT(*) AS n FROM transaction WHERE type = 'CustInvc' AND trandate >= SYSDATE - 400")
    assert recent["items"][0]["n"] == "30"
    months = ns.suiteql("SELECT COUNT(*) AS n FROM transaction WHERE type = 'CustInvc' "
                        "AND trandate < ADD_MONTHS(SYSDATE, -24)")
    assert months["items"][0]["n"] == "0"


def test_paging_envelope(ns):
    query = "SELECT id FROM transaction WHERE type = 'CustInvc' ORDER BY id"
    first = ns.suiteql(query, limit=10)
    assert (first["count"], first["hasMore"], first["offset"], first["totalResults"]) == (10, True, 0, 30)
    links = {link["rel"]: link["href"] for link in first["links"]}
    assert links["next"].endswith("/query/v1/suiteql?limit=10&offset=10")
    assert links["last"].endswith("limit=10&offset=20") and links["self"].endswith("limit=10&offset=0")
    last = ns.suiteql(query, limit=10, offset=20)
    assert last["hasMore"] is False and last["count"] == 10
    assert len({row["id"] for row in first["items"] + last["items"]}) == 20


def test_row_cap_stops_paging_but_reports_true_total(ns, emulator):
    emulator.patch_account(ns.account_id, suiteql_row_cap=25)
    query = "SELECT id FROM transaction WHERE type = 'CustInvc' ORDER BY id"
    second = ns.suiteql(query, limit=10, offset=10)
    assert second["hasMore"] is True
    third = ns.suiteql(query, limit=10, offset=20)
    assert (third["count"], third["hasMore"], third["totalResults"]) == (5, False, 30)
    beyond = ns.suiteql(query, limit=10, offset=30)
    assert (beyond["count"], beyond["hasMore"]) == (0, False)


@pytest.mark.parametrize("query, fragment", [
    ("SELECT id FROM invoices", "Record 'invoices' was not found."),
    ("SELECT nosuchcolumn FROM transaction", "Unknown identifier 'nosuchcolumn'"),
    ("SELEC id FRM transaction", "Invalid search query"),
    ("DELETE FROM transaction", "Invalid search query"),
])
def test_bad_queries_are_invalid_search(ns, query, fragment):
    response = ns.request("POST", "/query/v1/suiteql", json={"q": query})
    assert response.status_code == 400
    detail = response.json()["o:errorDetails"][0]
    assert detail["o:errorCode"] == "INVALID_PARAMETER" and fragment in detail["detail"]
    assert detail["detail"].startswith("Invalid search query. Detailed unprocessed description follows.")


def test_prefer_header_is_optional_and_limit_capped(ns):
    response = ns.request("POST", "/query/v1/suiteql", json={"q": "SELECT id FROM currency"},
                          headers={"prefer": "transient"})
    assert response.status_code == 200
    assert ns.request("POST", "/query/v1/suiteql", json={"q": "SELECT id FROM currency"}).status_code == 200
    too_many = ns.request("POST", "/query/v1/suiteql", params={"limit": 1001}, json={"q": "SELECT id FROM currency"})
    assert too_many.status_code == 400


def test_oracle_format_models_in_to_timestamp_and_to_char_of_expressions(ns):
    row = ns.suiteql("SELECT TO_CHAR(TO_TIMESTAMP('15-MAR-2026 09:05 PM', 'DD-MON-YYYY HH:MI AM'), "
                     "'YYYY-MM-DD HH24:MI:SS') AS a, TO_CHAR(TO_DATE('2026-03-15', 'YYYY-MM-DD'), 'Dy DD Month YYYY') AS b, "
                     "ADD_MONTHS(TO_DATE('2026-01-31', 'YYYY-MM-DD'), 1) AS c, DECODE(1, 1, 'one', 'other') AS d "
                     "FROM currency WHERE id = 1")["items"][0]
    assert row == {"links": [], "a": "2026-03-15 21:05:00", "b": "Sun 15 March 2026", "c": "2/28/2026", "d": "one"}
