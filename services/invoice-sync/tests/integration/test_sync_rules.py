"""Each rule through the real broker and database: contract events in, read API and streams out."""
from __future__ import annotations

import hashlib

import pytest

from contracts import topics
from contracts.ids import platform_customer_id, platform_invoice_id
from contracts.registry import decode
from sb_runtime.testing import read_topic, wait_until

from invoice_sync.testing import (customer, customer_changed, deposit_changed, invoice_archived, invoice_changed,
                                  minimal_pdf, outcome, outcome_recorded, pdf_fetched, version)

pytestmark = pytest.mark.asyncio(loop_scope="module")


async def published(kafka_bootstrap: str, topic: str, tenant_id: str, at_least: int = 1) -> list:
    """The events of ``tenant_id`` on ``topic``, waiting until there are ``at_least``."""

    async def mine():
        records = await read_topic(kafka_bootstrap, topic, at_least=1, timeout_s=5)
        events = [decode(topic, r.value) for r in records if r.key and r.key.startswith(f"{tenant_id}:".encode())]
        return events if len(events) >= at_least else None

    return await wait_until(mine, timeout_s=60, message=f"{at_least} event(s) of {tenant_id} on {topic}")


async def test_r1_r2_an_invoice_with_lines_and_its_customer_reach_the_read_api_and_the_streams(
        service, produce, kafka_bootstrap, unique):
    tenant = f"r1-{unique}"
    await produce(customer_changed(tenant, customer("55")),
                  invoice_changed(tenant, version("901", lines=3, remaining="150.00", memo="November")))
    invoice = await service.invoice_when(tenant, "901", lambda i: True, "the invoice")
    assert invoice["id"] == platform_invoice_id(tenant, "901")
    assert invoice["customer_id"] == platform_customer_id(tenant, "55")
    assert (invoice["number"], invoice["currency"], invoice["issued_on"], invoice["due_on"]) == (
        "INV901", "USD", "2026-11-01", "2026-12-01")
    assert (invoice["total"], invoice["amount_remaining"], invoice["status"]) == ("250.00", "150.00", "partially_paid")
    assert [(line["line"], line["amount"], line["quantity"]) for line in invoice["lines"]] == [
        (1, "83.33", "1"), (2, "83.33", "1"), (3, "83.34", "1")]
    assert (invoice["memo"], invoice["subsidiary"], invoice["origin"]) == ("November", "1", "netsuite")
    assert invoice["pdf"] == {"available": False, "sha256": None} and invoice["payments"] == []
    customers = await wait_until(lambda: _customers(service, tenant), timeout_s=60, message="the customer")
    assert [(c["id"], c["name"], c["email"]) for c in customers] == [
        (platform_customer_id(tenant, "55"), "Acme Ltd", "ap@acme.example")]
    [stream_invoice] = await published(kafka_bootstrap, topics.INVOICES, tenant)
    assert stream_invoice.data.amount_remaining == 150 and len(stream_invoice.data.lines) == 3
    [stream_customer] = await published(kafka_bootstrap, topics.CUSTOMERS, tenant)
    assert stream_customer.data.name == "Acme Ltd"


async def test_r3_r12_r13_netsuite_balance_and_edits_flow_and_an_older_version_never_wins(service, produce, unique):
    tenant = f"r3-{unique}"
    await produce(invoice_changed(tenant, version("902")))
    await service.invoice_when(tenant, "902", lambda i: True, "the invoice")
    edited = version("902", minute=5, total="300.00", remaining="200.00", due_on=version().due_on.replace(day=15))
    await produce(invoice_changed(tenant, edited), invoice_changed(tenant, version("902", minute=2, remaining="10.00")))
    invoice = await service.invoice_when(tenant, "902", lambda i: i["total"] == "300.00", "the NetSuite edit")
    assert (invoice["amount_remaining"], invoice["status"], invoice["due_on"]) == ("200.00", "partially_paid", "2026-12-15")
    await produce(invoice_changed(tenant, version("902", minute=6, total="300.00", remaining="0.00", echo=True)))
    invoice = await service.invoice_when(tenant, "902", lambda i: i["status"] == "paid", "paid in NetSuite (echo)")
    assert invoice["paid_via_platform"] is False and invoice["amount_remaining"] == "0.00"


async def test_r10_r11_paid_via_platform_freezes_and_a_failed_payment_reopens_with_an_action_item(
        service, produce, kafka_bootstrap, unique):
    tenant = f"r10-{unique}"
    await produce(invoice_changed(tenant, version("903")),
                  outcome_recorded(tenant, outcome(tenant, "903", "pay_001", "written", minute=1.5,
                                                   netsuite_payment_id="1777")),
                  invoice_changed(tenant, version("903", minute=1, remaining="0.00")))
    invoice = await service.invoice_when(tenant, "903", lambda i: i["paid_via_platform"], "paid via the platform")
    assert invoice["payments"] == [{"payment_id": "pay_001", "amount": "250.00", "status": "written",
                                    "netsuite_id": "1777"}]
    await produce(invoice_changed(tenant, version("903", minute=3, total="400.00", remaining="150.00")))
    await produce(outcome_recorded(tenant, outcome(tenant, "903", "pay_001", "failed", minute=10,
                                                   netsuite_payment_id="1777")))
    invoice = await service.invoice_when(tenant, "903", lambda i: not i["paid_via_platform"] and i["total"] == "400.00",
                                         "the failure and the edit")
    assert (invoice["amount_remaining"], invoice["status"], invoice["total"]) == ("400.00", "open", "400.00")
    assert invoice["payments"][0]["status"] == "failed"
    [raised] = await published(kafka_bootstrap, topics.ACTION_ITEMS, tenant)
    assert raised.event_type == "ActionItemRaised" and "revert invoice INV903 to unpaid" in raised.data.message
    await produce(invoice_changed(tenant, version("903", minute=20, total="400.00", remaining="150.00", memo="x")))
    invoice = await service.invoice_when(tenant, "903", lambda i: i["memo"] == "x", "a stale NetSuite edit")
    assert invoice["amount_remaining"] == "400.00"  # NetSuite still counts the failed payment
    await produce(invoice_changed(tenant, version("903", minute=30, total="400.00", remaining="400.00", memo="x")))
    events = await published(kafka_bootstrap, topics.ACTION_ITEMS, tenant, at_least=2)
    assert [e.event_type for e in events] == ["ActionItemRaised", "ActionItemResolved"]
    assert events[1].data.item_id == raised.data.item_id


async def test_r4_a_netsuite_deposit_marks_the_platform_payment_deposited(service, produce, unique):
    tenant = f"r4-{unique}"
    await produce(deposit_changed(tenant, "5001", ["1888", "other"], minute=30, echo=True),  # before the mapping
                  invoice_changed(tenant, version("904")),
                  outcome_recorded(tenant, outcome(tenant, "904", "pay_002", "written", minute=1.5,
                                                   netsuite_payment_id="1888")))
    invoice = await service.invoice_when(tenant, "904", lambda i: i["payments"] and i["payments"][0]["status"] == "deposited",
                                         "the platform payment, deposited")
    assert invoice["payments"][0]["netsuite_id"] == "1888"
    await produce(deposit_changed(tenant, "5001", ["other"], minute=31))
    invoice = await service.invoice_when(tenant, "904", lambda i: i["payments"][0]["status"] == "written",
                                         "the payment taken out of the deposit")


async def test_r5_the_pdf_is_served_with_the_sha256_the_invoice_announces(service, produce, unique):
    tenant = f"r5-{unique}"
    await produce(invoice_changed(tenant, version("905")))
    invoice = await service.invoice_when(tenant, "905", lambda i: True, "the invoice")
    path = f"/v1/tenants/{tenant}/invoices/{invoice['id']}/pdf"
    missing = await service.get(path, tenant)
    assert missing.status_code == 404 and missing.json()["error"]["code"] == "not_found"
    content = minimal_pdf("INV905")
    await produce(pdf_fetched(tenant, "905", content, minute=1))
    invoice = await service.invoice_when(tenant, "905", lambda i: i["pdf"]["available"], "the PDF")
    response = await service.get(path, tenant)
    assert response.status_code == 200 and response.headers["content-type"] == "application/pdf"
    assert response.content == content and invoice["pdf"]["sha256"] == hashlib.sha256(content).hexdigest()


async def test_r6_deleted_in_netsuite_is_archived_never_deleted(service, produce, unique):
    tenant = f"r6-{unique}"
    await produce(invoice_changed(tenant, version("906")), invoice_archived(tenant, "906", minute=5))
    invoice = await service.invoice_when(tenant, "906", lambda i: i["archived"], "the archive")
    assert (invoice["status"], invoice["total"]) == ("archived", "250.00")
    archived = (await service.get(f"/v1/tenants/{tenant}/invoices", tenant, status="archived")).json()["items"]
    assert [i["netsuite_id"] for i in archived] == ["906"]


async def test_r7_a_customer_made_inactive_changes_nothing_on_the_platform(service, produce, kafka_bootstrap, unique):
    tenant = f"r7-{unique}"
    await produce(customer_changed(tenant, customer("56", minute=1)))
    await published(kafka_bootstrap, topics.CUSTOMERS, tenant)
    await produce(customer_changed(tenant, customer("56", minute=2, inactive=True)),
                  customer_changed(tenant, customer("56", minute=3, inactive=True, name="Acme Old")))  # same key: after
    renamed = await wait_until(lambda: _customer_named(service, tenant, "Acme Old"), timeout_s=60,
                               message="the rename behind the inactivation")
    assert renamed["archived"] is False and renamed["version"] == 2  # the inactivation itself published nothing
    events = await published(kafka_bootstrap, topics.CUSTOMERS, tenant, at_least=2)
    assert sorted((e.data.version, e.data.name) for e in events) == [(1, "Acme Ltd"), (2, "Acme Old")]


async def _customer_named(service, tenant: str, name: str) -> dict | None:
    return next((c for c in await _customers(service, tenant) if c["name"] == name), None)


async def test_an_invoice_may_arrive_before_its_customer(service, produce, unique):
    tenant = f"order-{unique}"
    await produce(invoice_changed(tenant, version("907", customer="77")))
    invoice = await service.invoice_when(tenant, "907", lambda i: True, "the invoice")
    await produce(customer_changed(tenant, customer("77")))
    customers = await wait_until(
        lambda: _customers(service, tenant), timeout_s=60, message="the customer")
    assert customers[0]["id"] == invoice["customer_id"]


async def _customers(service, tenant):
    return (await service.get(f"/v1/tenants/{tenant}/customers", tenant)).json()["items"]


async def test_after_an_account_switch_the_same_netsuite_id_is_another_invoice_and_the_first_is_untouched(
        service, produce, kafka_bootstrap, unique):
    tenant, scope = f"switch-{unique}", "TSTDRV2"
    await produce(customer_changed(tenant, customer("55")), invoice_changed(tenant, version("901")))
    first = await service.invoice_when(tenant, "901", lambda i: True, "the first account's invoice")
    second_account = version("901", number="B-1001", total="999.00", id_scope=scope)
    await produce(customer_changed(tenant, customer("55", name="Bravo GmbH").model_copy(update={"id_scope": scope})),
                  invoice_changed(tenant, second_account))

    async def both():
        items = (await service.get(f"/v1/tenants/{tenant}/invoices?netsuite_id=901", tenant)).json()["items"]
        return items if len(items) == 2 else None

    invoices = {i["id"]: i for i in await wait_until(both, timeout_s=60, message="both accounts' invoices 901")}
    assert set(invoices) == {platform_invoice_id(tenant, "901"), platform_invoice_id(tenant, "901", scope)}
    assert invoices[first["id"]] == first  # the first account's invoice is exactly as it was
    theirs = invoices[platform_invoice_id(tenant, "901", scope)]
    assert (theirs["netsuite_id"], theirs["number"], theirs["total"]) == ("901", "B-1001", "999.00")
    assert theirs["customer_id"] == platform_customer_id(tenant, "55", scope) != first["customer_id"]
    stream = await published(kafka_bootstrap, topics.INVOICES, tenant, at_least=2)
    assert {(e.data.id, e.data.netsuite_id_scope) for e in stream} == {
        (first["id"], None), (theirs["id"], scope)}

    async def two_customers():
        found = await _customers(service, tenant)
        return found if len(found) == 2 else None

    customers = await wait_until(two_customers, timeout_s=60, message="both accounts' customers 55")
    assert {(c["id"], c["netsuite_id"], c["name"]) for c in customers} == {
        (platform_customer_id(tenant, "55"), "55", "Acme Ltd"), (theirs["customer_id"], "55", "Bravo GmbH")}
