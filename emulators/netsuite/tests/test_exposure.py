"""SuiteQL sees what real NetSuite exposes: refused columns, non-OneWorld accounts, missing permissions."""

import pytest

SMALL_SEED = {"customers": 6, "invoices": 30, "months": 4, "random_seed": 3}

PREFIX = "Invalid search query. Detailed unprocessed description follows. Search error occurred: "


def refusal(client, query: str) -> dict:
    response = client.request("POST", "/query/v1/suiteql", json={"q": query})
    assert response.status_code == 400, response.text
    body = response.json()
    assert {"type", "title", "status", "o:errorDetails"} <= set(body) and body["status"] == 400
    return body["o:errorDetails"][0]


@pytest.mark.parametrize("query, detail", [
    ("SELECT t.id, t.subsidiary FROM transaction t",
     "Field 'subsidiary' for record 'transaction' was not found. Reason: NOT_EXPOSED - Not available for channel SEARCH"),
    ("SELECT id FROM transaction WHERE subsidiary = 1",
     "Field 'subsidiary' for record 'transaction' was not found. Reason: NOT_EXPOSED - Not available for channel SEARCH"),
    ("SELECT t.location FROM transaction t", "Field 'location' for record 'transaction' was not found. Reason: REMOVED"),
    ("SELECT t.createdfrom FROM transaction t",
     "Field 'createdfrom' for record 'transaction' was not found. Reason: REMOVED"),
    ("SELECT t.id FROM transaction t WHERE t.mainline = 'T'", "Field 'mainline' for record 'transaction' was not found."),
    ("SELECT t.undepfunds FROM transaction t", "Unknown identifier 'undepfunds'. Available identifiers are: {t=transaction}."),
    ("SELECT tl.sublist FROM transactionline tl", "Unknown identifier 'sublist'."),
    ("SELECT l.linkdate FROM nexttransactionlinelink l",
     "Field 'linkdate' for record 'nexttransactionlinelink' was not found."),
])
def test_columns_netsuite_does_not_expose_are_refused_with_its_words(ns, query, detail):
    error = refusal(ns, query)
    assert error["o:errorCode"] == "INVALID_PARAMETER"
    assert error["detail"].startswith(PREFIX + detail)


def test_the_subsidiary_of_a_transaction_is_read_from_its_main_line(ns):
    rows = ns.suiteql("SELECT t.id, tl.subsidiary FROM transaction t JOIN transactionline tl ON tl.transaction = t.id "
                      "AND tl.mainline = 'T' WHERE t.type = 'CustInvc'")["items"]
    assert rows and all(row["subsidiary"] for row in rows)


def test_a_non_oneworld_account_has_no_subsidiaries(emulator, client_for):
    client = client_for(emulator.create_account(seed=SMALL_SEED, oneworld=False))
    assert refusal(client, "SELECT id FROM subsidiary")["detail"] == PREFIX + "Record 'subsidiary' was not found."
    error = refusal(client, "SELECT c.id, c.subsidiary FROM customer c")
    assert "Unknown identifier 'subsidiary'" in error["detail"]
    assert "Unknown identifier 'subsidiary'" in refusal(
        client, "SELECT tl.subsidiary FROM transactionline tl WHERE tl.mainline = 'T'")["detail"]
    assert client.suiteql("SELECT c.id, c.companyname FROM customer c")["count"] == 6
    assert emulator.get_account(client.account_id)["oneworld"] is False
    invoice_id = client.suiteql("SELECT id FROM transaction WHERE type = 'CustInvc' ORDER BY id")["items"][0]["id"]
    assert "subsidiary" not in client.record("customer", 1) and "currency" in client.record("customer", 1)
    assert "subsidiary" not in client.record("invoice", invoice_id)


def test_a_record_the_role_may_not_read_is_not_found(emulator, client_for, credentials):
    client = client_for(credentials)
    emulator.patch_account(credentials["account_id"], permissions_missing=["deletedrecord"])
    error = refusal(client, "SELECT d.recordid FROM deletedrecord d")
    assert error["detail"] == PREFIX + "Record 'deletedrecord' was not found."
    assert client.suiteql("SELECT id FROM currency")["count"] > 0


def test_seeded_invoices_carry_cogs_kit_discount_shipping_and_tax_lines_with_netsuite_signs(emulator, client_for):
    seed = {"customers": 10, "invoices": 200, "months": 6, "random_seed": 5, "end_date": "2026-06-30"}
    client = client_for(emulator.create_account(seed=seed))
    rows = client.suiteql(
        "SELECT tl.transaction, tl.mainline, tl.taxline, tl.iscogs, tl.transactiondiscount, tl.itemtype, "
        "tl.kitcomponent, tl.foreignamount, tl.quantity FROM transactionline tl JOIN transaction t "
        "ON t.id = tl.transaction WHERE t.type = 'CustInvc' AND t.voided = 'F'", limit=1000)["items"]
    kinds = {"cogs": [r for r in rows if r["iscogs"] == "T"], "tax": [r for r in rows if r["taxline"] == "T"],
             "discount": [r for r in rows if r["transactiondiscount"] == "T"],
             "shipping": [r for r in rows if r.get("itemtype") == "ShipItem"],
             "component": [r for r in rows if r["kitcomponent"] == "T"]}
    assert all(kinds.values()), {kind: len(found) for kind, found in kinds.items()}
    items = [r for r in rows if r["mainline"] == "F" and r.get("itemtype") in ("Service", "NonInvtPart", "InvtPart")
             and r["iscogs"] == "F" and r["kitcomponent"] == "F"]
    assert all(float(r["foreignamount"]) < 0 and float(r["quantity"]) < 0 for r in items)
    assert all(float(r["foreignamount"]) > 0 for r in kinds["discount"])
    assert all(float(r["foreignamount"]) < 0 for r in kinds["tax"] + kinds["shipping"])
    by_invoice: dict = {}
    for row in kinds["cogs"]:
        by_invoice[row["transaction"]] = by_invoice.get(row["transaction"], 0) + float(row["foreignamount"])
    assert all(abs(balance) < 0.005 for balance in by_invoice.values())  # debit COGS = credit inventory
    again = client_for(emulator.create_account(seed=seed))
    query = "SELECT tl.uniquekey, tl.foreignamount, tl.itemtype FROM transactionline tl ORDER BY tl.uniquekey"
    assert again.suiteql(query)["items"] == client.suiteql(query)["items"]


def test_invoice_total_is_what_its_lines_say(ns):
    rows = ns.suiteql("SELECT t.id, t.foreigntotal, SUM(tl.foreignamount) AS lines FROM transaction t "
                      "JOIN transactionline tl ON tl.transaction = t.id WHERE t.type = 'CustInvc' AND tl.mainline = 'F' "
                      "AND tl.iscogs = 'F' GROUP BY t.id, t.foreigntotal")["items"]
    assert rows and all(abs(float(r["foreigntotal"]) + float(r["lines"])) < 0.005 for r in rows)
