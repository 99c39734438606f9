"""The REST record service: shapes, paging, q, writes, errors."""

import re

import pytest


def invoice_body(customer="1", external_id=None, lines=((4, 10, 22.0),)):
    body = {"entity": {"id": customer}, "tranDate": "2026-03-01",
            "item": {"items": [{"item": {"id": str(item)}, "quantity": quantity, "rate": rate}
                               for item, quantity, rate in lines]}}
    if external_id:
        body["externalId"] = external_id
    return body


def test_create_answers_204_with_absolute_location(blank):
    response = blank.request("POST", "/record/v1/invoice", json=invoice_body())
    assert response.status_code == 204
    assert response.content == b""
    assert re.fullmatch(r"http://127\.0\.0\.1:\d+/accounts/\w+/services/rest/record/v1/invoice/\d+",
                        response.headers["location"])


def test_record_json_shape(blank):
    invoice_id = blank.create("invoice", invoice_body(lines=((4, 10, 22.0), (11, 2, 145.0))))
    stub = blank.record("invoice", invoice_id, expand=False)
    assert stub["id"] == invoice_id and isinstance(stub["total"], float) and stub["total"] == 510.0
    assert stub["item"] == {"links": [{"rel": "self", "href": stub["links"][0]["href"] + "/item"}]}
    assert "memo" not in stub and None not in stub.values()
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:00Z", stub["lastModifiedDate"])
    assert stub["entity"]["id"] == "1" and stub["entity"]["refName"] and stub["entity"]["links"]
    assert stub["status"] == {"id": "Open", "refName": "Open"}
    expanded = blank.record("invoice", invoice_id)
    assert expanded["item"]["totalResults"] == 2
    assert [line["amount"] for line in expanded["item"]["items"]] == [220.0, 290.0]
    assert blank.get(f"/record/v1/invoice/{invoice_id}/item/2").json()["amount"] == 290.0


def test_expand_is_case_insensitive_and_fields_filter(blank):
    invoice_id = blank.create("invoice", invoice_body())
    record = blank.get(f"/record/v1/Invoice/{invoice_id}", params={"expandSubResources": "TRUE"}).json()
    assert "items" in record["item"]
    only = blank.get(f"/record/v1/invoice/{invoice_id}", params={"fields": "total,tranId"}).json()
    assert set(only) == {"links", "id", "total", "tranId"}


def test_input_names_are_case_insensitive_and_no_content_type_is_fine(blank):
    response = blank.request("POST", "/record/v1/customer", content=b'{"companyname": "Lower Case Ltd", "EMAIL": "a@b.c"}')
    assert response.status_code == 204
    customer = blank.get(response.headers["location"].split("/services/rest")[1]).json()
    assert customer["companyName"] == "Lower Case Ltd" and customer["email"] == "a@b.c"
    assert blank.get("/record/v1/customer", headers={"Content-Type": "application/json"}).status_code == 200


def test_paging_links_keep_limit_and_filter(ns):
    first = ns.get("/record/v1/invoice", params={"limit": 7}).json()
    assert first["count"] == 7 and first["hasMore"] is True and first["totalResults"] == 30
    links = {link["rel"]: link["href"] for link in first["links"]}
    assert links["next"].endswith("/record/v1/invoice?limit=7&offset=7")
    assert links["last"].endswith("limit=7&offset=28")
    seen = []
    href = links["self"]
    while href:
        page = ns.http.get(href).json()
        seen += [item["id"] for item in page["items"]]
        href = next((link["href"] for link in page["links"] if link["rel"] == "next"), None)
    assert len(seen) == len(set(seen)) == 30
    item_link = first["items"][0]["links"][0]["href"]
    assert ns.http.get(item_link).json()["id"] == first["items"][0]["id"]


def test_limit_over_1000_is_rejected(ns):
    response = ns.get("/record/v1/invoice", params={"limit": 1001})
    assert response.status_code == 400
    assert response.json()["o:errorDetails"][0]["o:errorCode"] == "INVALID_PARAMETER"


def test_q_filter_id_and_dates(ns):
    ids = [item["id"] for item in ns.get("/record/v1/invoice", params={"limit": 3}).json()["items"]]
    found = ns.get("/record/v1/invoice", params={"q": f"id ANY_OF [{ids[0]}, {ids[2]}]"}).json()
    assert [item["id"] for item in found["items"]] == [ids[0], ids[2]]
    equal = ns.get("/record/v1/invoice", params={"q": f"id EQUAL {ids[1]} OR id EQUAL {ids[2]}"}).json()
    assert equal["totalResults"] == 2
    everything = ns.get("/record/v1/invoice", params={"q": 'lastModifiedDate AFTER "1/1/2000"'}).json()
    assert everything["totalResults"] == 30
    with_time = ns.get("/record/v1/invoice", params={"q": 'lastModifiedDate ON_OR_AFTER "1/1/2000 9:05 am"'})
    assert with_time.json()["totalResults"] == 30
    none = ns.get("/record/v1/invoice", params={"q": 'lastModifiedDate BEFORE "1/1/2000" AND id EQUAL 1'}).json()
    assert none["totalResults"] == 0


def test_q_date_in_wrong_format_is_unparseable(ns):
    response = ns.get("/record/v1/invoice", params={"q": 'lastModifiedDate AFTER "2026-03-15"'})
    assert response.status_code == 400
    detail = response.json()["o:errorDetails"][0]
    assert "Unparseable date" in detail["detail"] and detail["o:errorQueryParam"] == "q"


def test_q_date_uses_account_time_zone(blank):
    invoice_id = blank.create("invoice", invoice_body())
    modified = blank.record("invoice", invoice_id)["lastModifiedDate"]
    rows = blank.suiteql(f"SELECT TO_CHAR(lastmodifieddate, 'MM/DD/YYYY HH:MI AM') AS local FROM transaction WHERE id = {invoice_id}")
    local = rows["items"][0]["local"]
    on = blank.get("/record/v1/invoice", params={"q": f'lastModifiedDate ON_OR_AFTER "{local.lower()}"'}).json()
    assert on["totalResults"] == 1, (modified, local)
    after = blank.get("/record/v1/invoice", params={"q": f'lastModifiedDate AFTER "{local}"'}).json()
    assert after["totalResults"] == 0


def test_duplicate_external_id_is_this_entity_already_exists(blank):
    blank.create("invoice", invoice_body(external_id="sb-inv-1"))
    response = blank.request("POST", "/record/v1/invoice", json=invoice_body(external_id="sb-inv-1"))
    assert response.status_code == 400
    detail = response.json()["o:errorDetails"][0]
    assert detail["o:errorCode"] == "USER_ERROR"
    assert detail["detail"] == "Error while accessing a resource. This entity already exists."


def test_eid_upsert_get_patch_delete(blank):
    created = blank.request("PUT", "/record/v1/customer/eid:cust-77", json={"companyName": "Upsert Inc"})
    assert created.status_code == 204
    customer_id = created.headers["location"].rsplit("/", 1)[-1]
    again = blank.request("PUT", "/record/v1/customer/eid:cust-77", json={"companyName": "Upsert Renamed"})
    assert again.status_code == 204 and again.headers["location"].endswith(f"/customer/{customer_id}")
    assert blank.get("/record/v1/customer/eid:cust-77").json()["companyName"] == "Upsert Renamed"
    assert blank.request("PATCH", "/record/v1/customer/eid:cust-77", json={"isInactive": True}).status_code == 204
    assert blank.record("customer", customer_id)["isInactive"] is True
    assert blank.request("DELETE", "/record/v1/customer/eid:cust-77").status_code == 204
    assert blank.get(f"/record/v1/customer/{customer_id}").status_code == 404
    deleted = blank.suiteql(f"SELECT recordid, recordtypeid FROM deletedrecord WHERE recordid = {customer_id}")
    assert deleted["items"][0]["recordtypeid"] == "customer"


def test_patch_merges_keyed_item_lines_and_replace_replaces(blank):
    invoice_id = blank.create("invoice", invoice_body(lines=((4, 10, 22.0), (11, 2, 145.0))))
    patch = {"memo": "edited", "dueDate": "2026-04-30",
             "item": {"items": [{"line": 2, "quantity": 4}, {"item": {"id": "10"}, "quantity": 1, "rate": 189}]}}
    response = blank.request("PATCH", f"/record/v1/invoice/{invoice_id}", json=patch)
    assert response.status_code == 204 and response.headers["location"].endswith(f"/invoice/{invoice_id}")
    invoice = blank.record("invoice", invoice_id)
    assert [line["amount"] for line in invoice["item"]["items"]] == [220.0, 580.0, 189.0]
    assert invoice["total"] == 989.0 and invoice["amountRemaining"] == 989.0
    assert invoice["memo"] == "edited" and invoice["dueDate"] == "2026-04-30"
    replaced = {"item": {"items": [{"line": 3, "rate": 200}]}}
    assert blank.request("PATCH", f"/record/v1/invoice/{invoice_id}?replace=item", json=replaced).status_code == 204
    invoice = blank.record("invoice", invoice_id)
    assert [(line["line"], line["amount"]) for line in invoice["item"]["items"]] == [(3, 200.0)]
    assert invoice["total"] == 200.0


def test_patch_null_clears_a_field(blank):
    invoice_id = blank.create("invoice", {**invoice_body(), "memo": "temporary"})
    blank.request("PATCH", f"/record/v1/invoice/{invoice_id}", json={"memo": None})
    assert "memo" not in blank.record("invoice", invoice_id)


@pytest.mark.parametrize("body, message", [
    ({"item": {"items": [{"item": {"id": "4"}, "quantity": 1, "rate": 1}]}}, "Please enter value(s) for: Customer"),
    ({"entity": {"id": "1"}, "item": {"items": [{"quantity": 1}]}}, "Please enter value(s) for: Item"),
])
def test_validation_errors(blank, body, message):
    response = blank.request("POST", "/record/v1/invoice", json=body)
    assert response.status_code == 400
    detail = response.json()["o:errorDetails"][0]
    assert detail == {"detail": f"Error while accessing a resource. {message}", "o:errorCode": "USER_ERROR"}


def test_missing_and_invalid_ids(blank):
    missing = blank.get("/record/v1/invoice/999999")
    assert missing.status_code == 404
    assert missing.headers["content-type"].startswith("application/vnd.oracle.resource+json; type=error")
    assert missing.json()["o:errorDetails"][0] == {"detail": "The record instance does not exist.",
                                                   "o:errorCode": "NONEXISTENT_ID"}
    invalid = blank.get("/record/v1/invoice/000")
    assert invalid.status_code == 400
    assert invalid.json()["o:errorDetails"][0]["o:errorCode"] == "INVALID_ID"
    assert "o:errorUrl" in invalid.json()["o:errorDetails"][0]


def test_delete_invoice_records_deletedrecord(blank):
    invoice_id = blank.create("invoice", invoice_body())
    assert blank.request("DELETE", f"/record/v1/invoice/{invoice_id}").status_code == 204
    assert blank.get(f"/record/v1/invoice/{invoice_id}").status_code == 404
    rows = blank.suiteql("SELECT recordid, recordtypeid, TO_CHAR(deleteddate, 'YYYY-MM-DD HH24:MI:SS') AS deleted "
                         "FROM deletedrecord WHERE deleteddate >= TO_TIMESTAMP('2000-01-01 00:00:00', "
                         "'YYYY-MM-DD HH24:MI:SS') ORDER BY deleteddate")
    assert rows["items"][-1]["recordid"] == invoice_id and rows["items"][-1]["recordtypeid"] == "invoice"


def test_reference_records_and_metadata(ns):
    accounts = ns.get("/record/v1/account").json()
    # 11 + inventory asset, COGS, sales tax, shipping income, discounts, a CAD bank account
    assert accounts["totalResults"] == 17
    undeposited = [ns.record("account", item["id"]) for item in accounts["items"]]
    assert any(account.get("sSpecAcct") == "UndepFunds" for account in undeposited)
    banks = ns.suiteql("SELECT a.id, cur.symbol FROM account a JOIN currency cur ON cur.id = a.currency "
                       "WHERE a.accttype = 'Bank' ORDER BY a.id")["items"]
    assert [(row["id"], row["symbol"]) for row in banks] == [("1", "USD"), ("2", "USD"), ("17", "CAD")]
    assert ns.record("currency", 1)["symbol"] == "USD"
    assert ns.record("subsidiary", 1)["name"]
    catalog = ns.get("/record/v1/metadata-catalog").json()
    assert {"invoice", "customerpayment", "deposit"} <= {item["name"] for item in catalog["items"]}
    schema = ns.get("/record/v1/metadata-catalog/invoice", headers={"Accept": "application/schema+json"}).json()
    assert schema["properties"]["amountRemaining"] == {"type": "number"}
    openapi = ns.get("/record/v1/metadata-catalog/invoice", headers={"Accept": "application/swagger+json"}).json()
    assert openapi["openapi"].startswith("3.") and "invoice" in openapi["components"]["schemas"]


def test_options_and_governance_limits(ns, emulator):
    assert ns.http.options(f"/accounts/{ns.account_id}/services/rest/record/v1/invoice").status_code == 204
    limits = ns.get("/system/v1/governanceLimits").json()
    assert limits["accountConcurrencyLimit"] == 15
