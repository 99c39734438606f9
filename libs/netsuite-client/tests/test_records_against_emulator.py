"""Record operations against the emulator: ids come from Location, errors are typed."""

import base64
import json
from decimal import Decimal

import pytest

from netsuite_client import AlreadyExistsError, NotFoundError, PermanentNetSuiteError, external_id_ref


async def test_create_get_update_delete_a_customer(client):
    customer_id = await client.records.create("customer", {"companyName": "Acme Widgets", "externalId": "sb-c-1"})
    assert customer_id.isdigit()
    fetched = await client.records.get("customer", customer_id)
    assert (fetched["id"], fetched["companyName"]) == (customer_id, "Acme Widgets")
    assert await client.records.update("customer", customer_id, {"companyName": "Acme Gadgets"}) == customer_id
    assert (await client.records.get("customer", external_id_ref("sb-c-1")))["companyName"] == "Acme Gadgets"
    await client.records.delete("customer", customer_id)
    with pytest.raises(NotFoundError) as caught:
        await client.records.get("customer", customer_id)
    assert caught.value.code == "NONEXISTENT_ID"
    assert await client.records.find_id("customer", "sb-c-1") is None


async def test_upsert_creates_then_updates_the_same_record(client):
    first = await client.records.upsert("customer", "sb-up-1", {"companyName": "Upsert Ltd"})
    second = await client.records.upsert("customer", "sb-up-1", {"companyName": "Upsert Plc"})
    assert first == second
    assert (await client.records.get("customer", first))["companyName"] == "Upsert Plc"


async def test_duplicate_external_id_is_already_exists(client):
    await client.records.create("customer", {"companyName": "Dup", "externalId": "sb-dup"})
    with pytest.raises(AlreadyExistsError) as caught:
        await client.records.create("customer", {"companyName": "Dup", "externalId": "sb-dup"})
    assert (caught.value.status, caught.value.code) == (400, "USER_ERROR")


async def test_validation_error_is_permanent(client):
    with pytest.raises(PermanentNetSuiteError) as caught:
        await client.records.create("customer", {"email": "no-name@example.com"})
    assert "Please enter value(s) for" in caught.value.detail


async def test_list_pages_and_iter_ids_follow_the_envelope(client):
    page = await client.records.list("invoice", limit=5, offset=5)
    assert (page.count, page.offset, page.total_results, page.has_more) == (5, 5, 12, True)
    ids = [record_id async for record_id in client.records.iter_ids("invoice", page_size=5)]
    assert len(ids) == len(set(ids)) == 12


async def test_get_expands_sublists_and_selects_fields(client):
    invoice_id = (await client.records.list("invoice", limit=1)).ids[0]
    stub = await client.records.get("invoice", invoice_id)
    assert "items" not in stub["item"]
    expanded = await client.records.get("invoice", invoice_id, expand_sub_resources=True)
    assert expanded["item"]["totalResults"] == len(expanded["item"]["items"]) >= 1
    narrow = await client.records.get("invoice", invoice_id, fields=["tranId", "total"])
    assert {"tranId", "total"} <= set(narrow) and "entity" not in narrow


async def test_restlet_get_returns_the_invoice_pdf(client):
    invoice_id = (await client.records.list("invoice", limit=1)).ids[0]
    body = await client.restlet_get("customscript_sb_invoice_pdf", "customdeploy_sb_invoice_pdf", id=invoice_id)
    assert body["contentType"] == "application/pdf"
    assert base64.b64decode(body["base64"]).startswith(b"%PDF")


async def test_a_15_digit_amount_arrives_and_is_stored_exactly(client):
    amount = Decimal("1234567890123.45")
    customer_id = await client.records.create("customer", {"companyName": "Big Money Ltd"})
    payment_id = await client.records.create("customerpayment", {
        "customer": {"id": customer_id}, "payment": amount, "undepFunds": True, "memo": "15 digits"})
    rows = await client.suiteql.query_all(f"SELECT foreigntotal FROM transaction WHERE id = {int(payment_id)}")
    assert abs(Decimal(rows[0]["foreigntotal"])) == amount
    response = await client.request("GET", client.rest_url(f"/record/v1/customerpayment/{payment_id}"))
    assert json.loads(response.text, parse_float=Decimal)["payment"] == amount
