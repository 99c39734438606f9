"""Accounts-receivable arithmetic: payments, credit memos, deposits, statuses, lastModifiedDate."""



def new_invoice(client, amount=1000.0, customer="1", **extra) -> str:
    body = {"entity": {"id": customer}, "item": {"items": [{"item": {"id": "1"}, "quantity": 1, "rate": amount}]},
            **extra}
    return client.create("invoice", body)


def pay(client, invoice_id, amount, customer="1", **extra) -> str:
    body = {"customer": {"id": customer}, "payment": amount,
            "apply": {"items": [{"doc": {"id": invoice_id}, "line": 0, "apply": True, "amount": amount}]}, **extra}
    return client.create("customerpayment", body)


def suiteql_one(client, query) -> dict:
    return client.suiteql(query)["items"][0]


def test_partial_then_full_payment(blank):
    invoice_id = new_invoice(blank, 1000.0)
    pay(blank, invoice_id, 400.0)
    invoice = blank.record("invoice", invoice_id)
    assert (invoice["amountPaid"], invoice["amountRemaining"], invoice["status"]["refName"]) == (400.0, 600.0, "Open")
    row = suiteql_one(blank, f"SELECT status, BUILTIN.DF(status) AS text, foreignamountpaid, foreignamountunpaid "
                             f"FROM transaction WHERE id = {invoice_id}")
    assert row == {"links": [], "status": "A", "text": "Invoice : Open", "foreignamountpaid": "400", "foreignamountunpaid": "600"}
    pay(blank, invoice_id, 600.0)
    invoice = blank.record("invoice", invoice_id)
    assert (invoice["amountPaid"], invoice["amountRemaining"], invoice["status"]["id"]) == (1000.0, 0.0, "Paid In Full")
    compound = blank.suiteql(f"SELECT id FROM transaction WHERE status = 'CustInvc:B' AND id = {invoice_id}")
    assert compound["count"] == 1


def test_overpayment_leaves_unapplied_and_overapplying_fails(blank):
    invoice_id = new_invoice(blank, 100.0)
    payment_id = blank.create("customerpayment", {
        "customer": {"id": "1"}, "payment": 150.0, "apply": {"items": [{"doc": {"id": invoice_id}, "amount": 100.0}]}})
    payment = blank.record("customerpayment", payment_id)
    assert (payment["applied"], payment["unapplied"], payment["status"]["refName"]) == (100.0, 50.0, "Not Deposited")
    assert payment["undepFunds"] is True and payment["account"]["refName"] == "Undeposited Funds"
    other = new_invoice(blank, 100.0)
    response = blank.request("POST", "/record/v1/customerpayment", json={
        "customer": {"id": "1"}, "payment": 500.0, "apply": {"items": [{"doc": {"id": other}, "amount": 120.0}]}})
    assert response.status_code == 400
    assert blank.record("invoice", other)["amountRemaining"] == 100.0  # nothing committed


def test_payment_bumps_invoice_last_modified_and_links(blank):
    invoice_id = new_invoice(blank, 300.0)
    before = suiteql_one(blank, f"SELECT TO_CHAR(lastmodifieddate, 'YYYY-MM-DD HH24:MI:SS') AS m FROM transaction "
                                f"WHERE id = {invoice_id}")["m"]
    blank.advance_clock(1)  # the next change is a second later on the account's clock
    payment_id = pay(blank, invoice_id, 120.0)
    after = suiteql_one(blank, f"SELECT TO_CHAR(lastmodifieddate, 'YYYY-MM-DD HH24:MI:SS') AS m FROM transaction "
                               f"WHERE id = {invoice_id}")["m"]
    assert after > before
    links = blank.suiteql(f"SELECT l.previousdoc, l.nextdoc, l.nexttype, l.linktype, l.foreignamount "
                          f"FROM NextTransactionLineLink l WHERE l.previousdoc IN ({invoice_id})")["items"]
    assert links == [{"links": [], "previousdoc": invoice_id, "nextdoc": payment_id, "nexttype": "CustPymt",
                      "linktype": "Payment", "foreignamount": "120"}]


def test_transform_to_payment_and_credit_memo(blank):
    invoice_id = new_invoice(blank, 800.0)
    response = blank.request("POST", f"/record/v1/invoice/{invoice_id}/!transform/customerPayment",
                             json={"payment": 300.0})
    assert response.status_code == 204 and "/customerpayment/" in response.headers["location"]
    assert blank.record("invoice", invoice_id)["amountRemaining"] == 500.0
    response = blank.request("POST", f"/record/v1/invoice/{invoice_id}/!transform/creditMemo", json={})
    assert response.status_code == 204
    credit_id = response.headers["location"].rsplit("/", 1)[-1]
    credit = blank.record("creditmemo", credit_id)
    assert (credit["total"], credit["applied"], credit["unapplied"]) == (800.0, 500.0, 300.0)
    invoice = blank.record("invoice", invoice_id)
    assert invoice["status"]["refName"] == "Paid In Full" and invoice["amountPaid"] == 800.0


def test_credit_memo_with_apply_sublist(blank):
    invoice_id = new_invoice(blank, 250.0)
    credit_id = blank.create("creditmemo", {
        "entity": {"id": "1"}, "item": {"items": [{"item": {"id": "11"}, "quantity": 1, "rate": 50.0}]},
        "apply": {"items": [{"doc": {"id": invoice_id}, "apply": True, "amount": 50.0}]}})
    assert blank.record("invoice", invoice_id)["amountRemaining"] == 200.0
    credit = blank.record("creditmemo", credit_id)
    assert credit["status"]["refName"] == "Fully Applied"
    assert credit["apply"]["items"][0]["doc"]["id"] == invoice_id
    row = suiteql_one(blank, f"SELECT type, foreigntotal FROM transaction WHERE id = {credit_id}")
    assert row["type"] == "CustCred" and row["foreigntotal"] == "-50"


def test_deposit_flips_payment_to_deposited_and_bumps_it(blank):
    invoice_id = new_invoice(blank, 500.0)
    payment_id = pay(blank, invoice_id, 500.0)
    blank.advance_clock(1)  # the next change is a second later on the account's clock
    deposit_id = blank.create("deposit", {
        "account": {"id": "1"}, "tranDate": "2026-03-05", "memo": "payout po_9",
        "payment": {"items": [{"id": int(payment_id), "deposit": True}]},
        "other": {"items": [{"account": {"id": "9"}, "amount": 12.5, "memo": "surcharge"}]},
        "cashBack": {"items": [{"account": {"id": "10"}, "amount": 7.25, "memo": "fees"}]}})
    deposit = blank.record("deposit", deposit_id)
    assert deposit["total"] == 505.25
    assert deposit["payment"]["items"][0] | {"links": None} == {
        "links": None, "id": payment_id, "deposit": True, "paymentAmount": 500.0, "transactionAmount": 500.0,
        "docNumber": blank.record("customerpayment", payment_id)["tranId"], "docDate": deposit["payment"]["items"][0]["docDate"],
        "type": "CustPymt", "entity": deposit["payment"]["items"][0]["entity"]}
    assert deposit["other"]["items"][0]["amount"] == 12.5 and deposit["cashBack"]["items"][0]["amount"] == 7.25
    assert deposit["account"]["id"] == "1" and deposit["tranDate"] == "2026-03-05"
    row = suiteql_one(blank, f"SELECT status, BUILTIN.DF(status) AS text, TO_CHAR(lastmodifieddate, "
                             f"'YYYY-MM-DD HH24:MI:SS') AS m, TO_CHAR(createddate, 'YYYY-MM-DD HH24:MI:SS') AS c "
                             f"FROM transaction WHERE id = {payment_id}")
    assert (row["status"], row["text"]) == ("C", "Payment : Deposited") and row["m"] > row["c"]
    again = blank.request("POST", "/record/v1/deposit", json={
        "account": {"id": "1"}, "payment": {"items": [{"id": payment_id, "deposit": True}]}})
    assert again.status_code == 400 and again.json()["o:errorDetails"][0]["o:errorCode"] == "USER_ERROR"


def test_payment_straight_to_bank_cannot_be_deposited(blank):
    invoice_id = new_invoice(blank, 100.0)
    payment_id = pay(blank, invoice_id, 100.0, undepFunds=False, account={"id": "1"})
    assert blank.record("customerpayment", payment_id)["status"]["refName"] == "Deposited"
    response = blank.request("POST", "/record/v1/deposit", json={
        "account": {"id": "1"}, "payment": {"items": [{"id": payment_id, "deposit": True}]}})
    assert response.status_code == 400


def test_stand_alone_deposit(blank):
    deposit_id = blank.create("deposit", {"account": {"id": "2"}, "externalId": "sb-payout-1",
                                          "other": {"items": [{"account": {"id": "9"}, "amount": 99.5}]}})
    deposit = blank.record("deposit", deposit_id)
    assert deposit["total"] == 99.5 and deposit["payment"]["items"] == [] and deposit["externalId"] == "sb-payout-1"
    assert blank.suiteql(f"SELECT COUNT(*) AS n FROM NextTransactionLineLink WHERE nextdoc = {deposit_id}")["items"][0]["n"] == "0"


def test_deleting_a_payment_reverses_it_and_deleting_a_deposit_undeposits(blank):
    invoice_id = new_invoice(blank, 200.0)
    payment_id = pay(blank, invoice_id, 200.0)
    deposit_id = blank.create("deposit", {"account": {"id": "1"}, "payment": {"items": [{"id": payment_id}]}})
    assert blank.request("DELETE", f"/record/v1/customerpayment/{payment_id}").status_code == 400
    assert blank.request("DELETE", f"/record/v1/deposit/{deposit_id}").status_code == 204
    assert blank.record("customerpayment", payment_id)["status"]["refName"] == "Not Deposited"
    assert blank.request("DELETE", f"/record/v1/customerpayment/{payment_id}").status_code == 204
    invoice = blank.record("invoice", invoice_id)
    assert (invoice["amountRemaining"], invoice["status"]["refName"]) == (200.0, "Open")
    deleted = blank.suiteql(f"SELECT recordtypeid FROM deletedrecord WHERE recordid IN ({payment_id}, {deposit_id}) "
                            "ORDER BY recordid")["items"]
    assert [row["recordtypeid"] for row in deleted] == ["customerpayment", "deposit"]


def test_payment_patch_changes_applications(blank):
    first, second = new_invoice(blank, 100.0), new_invoice(blank, 100.0)
    payment_id = pay(blank, first, 100.0)
    patch = {"apply": {"items": [{"doc": {"id": first}, "apply": False}, {"doc": {"id": second}, "amount": 100.0}]}}
    assert blank.request("PATCH", f"/record/v1/customerpayment/{payment_id}", json=patch).status_code == 204
    assert blank.record("invoice", first)["amountRemaining"] == 100.0
    assert blank.record("invoice", second)["amountRemaining"] == 0.0


def test_void_through_control_surface(blank, emulator):
    invoice_id = new_invoice(blank, 640.0)
    emulator.void_invoice(blank.account_id, invoice_id)
    invoice = blank.record("invoice", invoice_id)
    assert (invoice["total"], invoice["amountRemaining"], invoice["status"]["refName"]) == (0.0, 0.0, "Voided")
    row = suiteql_one(blank, f"SELECT voided, foreigntotal, status FROM transaction WHERE id = {invoice_id}")
    assert row == {"links": [], "voided": "T", "foreigntotal": "0", "status": "V"}


def test_seeded_books_are_consistent(ns):
    mismatched = ns.suiteql(
        "SELECT t.id FROM transaction t WHERE t.type = 'CustInvc' AND t.foreignamountpaid <> "
        "(SELECT NVL(SUM(l.foreignamount), 0) FROM NextTransactionLineLink l WHERE l.previousdoc = t.id)")
    assert mismatched["count"] == 0
    deposits = ns.suiteql("SELECT t.id, t.foreigntotal, (SELECT SUM(tl.foreignamount) FROM transactionline tl "
                          "WHERE tl.transaction = t.id AND tl.mainline = 'F') AS lines FROM transaction t "
                          "WHERE t.type = 'Deposit'")["items"]
    assert deposits and all(abs(float(row["foreigntotal"]) - float(row["lines"])) < 0.005 for row in deposits)
    statuses = ns.suiteql("SELECT DISTINCT status FROM transaction WHERE type = 'CustPymt'")["items"]
    assert {row["status"] for row in statuses} <= {"B", "C"}
