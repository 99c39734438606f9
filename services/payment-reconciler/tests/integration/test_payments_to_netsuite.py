"""Each rule end to end: a Kafka event in, NetSuite records (through the emulator's REST API and
SuiteQL) and published outcomes out."""
from __future__ import annotations

from datetime import UTC, datetime

import httpx
import pytest

from contracts import topics
from contracts.ids import netsuite_external_id, platform_invoice_id
from sb_runtime.tokens import mint_tenant_token
from sb_writeback.testing import account_setup_saved, connection_changed

from payment_reconciler.testing import invoice_updated, payment_failed, payment_received

from .conftest import SIGNING_KEY, TIMEZONE

pytestmark = pytest.mark.asyncio(loop_scope="module")


async def connect(world) -> None:
    await world.send(connection_changed(world.tenant_id, world.account_id, TIMEZONE),
                     account_setup_saved(world.tenant_id, world.account_id))


async def netsuite_invoice(world, total: str, currency: str = "USD") -> tuple[str, str]:
    """A NetSuite invoice and the map entry invoice-sync would publish for it: (platform id, NetSuite id)."""
    netsuite_id = await world.create_invoice(total)
    invoice_id = platform_invoice_id(world.tenant_id, netsuite_id)
    await world.send(invoice_updated(world.tenant_id, invoice_id, netsuite_id, "1", total, total,
                                     currency=currency, number=f"INV-{netsuite_id}"))
    return invoice_id, netsuite_id


async def outcome_of(world, payment_id: str, status: str, timeout_s: float = 30.0, containing: str = ""):
    """The payment's first outcome with ``status`` (whose message contains ``containing``)."""
    return await world.outcome(topics.PAYMENT_OUTCOMES, payment_id, status, timeout_s, containing)


async def action_items(world, kind: str, event_type: str = "ActionItemRaised"):
    events = await world.events(topics.ACTION_ITEMS)
    return [e for e in events if e.data.kind == kind and e.event_type == event_type]


async def test_a_payment_on_a_netsuite_invoice_is_applied_to_it_in_undeposited_funds(world):
    await connect(world)
    invoice_id, netsuite_id = await netsuite_invoice(world, "250.00")
    # 05:00 UTC on the 27th is still the 26th in the account's time zone.
    received_at = datetime(2026, 11, 27, 5, 0, tzinfo=UTC)
    await world.send(payment_received(world.tenant_id, "pay-1", invoice_id, "100.00", received_at=received_at))

    outcome = await outcome_of(world, "pay-1", "written")
    payment = await world.record("customerpayment", outcome.data.netsuite_payment_id)
    invoice = await world.record("invoice", netsuite_id)
    assert invoice["amountRemaining"] == 150.0
    assert [(line["doc"]["id"], line["amount"]) for line in payment["apply"]["items"]] == [(netsuite_id, 100.0)]
    assert payment["externalId"] == netsuite_external_id("pay", world.tenant_id, "pay-1")
    assert (payment["payment"], payment["undepFunds"], payment["account"]["id"]) == (100.0, True, "3")
    assert payment["tranDate"] == "2026-11-26" and "pay-1" in payment["memo"]
    assert outcome.data.applied_amount == outcome.data.amount



async def test_an_amount_above_what_netsuite_says_is_open_applies_that_and_raises_an_item(world):
    await connect(world)
    invoice_id, netsuite_id = await netsuite_invoice(world, "250.00")
    await world.netsuite.records.create("customerpayment", {  # paid in part in NetSuite, by the partner
        "customer": {"id": "1"}, "payment": 100.0,
        "apply": {"items": [{"doc": {"id": netsuite_id}, "apply": True, "amount": 100.0}]}})
    await world.send(payment_received(world.tenant_id, "pay-2", invoice_id, "300.00"))

    outcome = await outcome_of(world, "pay-2", "written")
    payment = await world.record("customerpayment", outcome.data.netsuite_payment_id)
    assert (await world.record("invoice", netsuite_id))["amountRemaining"] == 0.0
    assert (payment["payment"], payment["applied"], payment["unapplied"]) == (300.0, 150.0, 150.0)
    assert str(outcome.data.applied_amount) == "150.00"
    [item] = await action_items(world, "overpayment")
    assert item.data.payment_id == "pay-2" and "150.00 left unapplied" in item.data.message


async def test_a_stale_invoice_map_never_over_applies(world):
    await connect(world)
    invoice_id, netsuite_id = await netsuite_invoice(world, "250.00")
    await world.send(payment_received(world.tenant_id, "pay-1", invoice_id, "100.00"))
    await outcome_of(world, "pay-1", "written")
    await world.send(payment_received(world.tenant_id, "pay-2", invoice_id, "200.00"))  # the map still says 250

    outcome = await outcome_of(world, "pay-2", "written")
    payment = await world.record("customerpayment", outcome.data.netsuite_payment_id)
    assert (payment["applied"], payment["unapplied"]) == (150.0, 50.0)
    assert (await world.record("invoice", netsuite_id))["amountRemaining"] == 0.0


async def test_a_payment_on_an_invoice_deleted_in_netsuite_is_recorded_unapplied_with_an_item(world):
    await connect(world)
    netsuite_id = await world.create_invoice("90.00")
    await world.netsuite.records.delete("invoice", netsuite_id)
    invoice_id = platform_invoice_id(world.tenant_id, netsuite_id)
    await world.send(invoice_updated(world.tenant_id, invoice_id, netsuite_id, "1", "90.00", "90.00", archived=True),
                     payment_received(world.tenant_id, "pay-x", invoice_id, "90.00"))

    outcome = await outcome_of(world, "pay-x", "written")
    payment = await world.record("customerpayment", outcome.data.netsuite_payment_id)
    assert (payment["payment"], payment["applied"], payment["unapplied"]) == (90.0, 0.0, 90.0)
    assert [i.data.payment_id for i in await action_items(world, "overpayment")] == ["pay-x"]


async def test_where_a_payment_stands_is_visible_to_its_tenant_only(world, running_service):
    await connect(world)
    invoice_id, _ = await netsuite_invoice(world, "60.00")
    await world.send(payment_received(world.tenant_id, "pay-v", invoice_id, "60.00"))
    written = await outcome_of(world, "pay-v", "written")

    def bearer(tenant_id: str) -> dict:
        return {"Authorization": f"Bearer {mint_tenant_token(SIGNING_KEY, tenant_id)}"}

    transport = httpx.ASGITransport(app=running_service.app)
    async with httpx.AsyncClient(transport=transport, base_url="http://reconciler") as http:
        path = f"/v1/tenants/{world.tenant_id}/payments/pay-v"
        own = await http.get(path, headers=bearer(world.tenant_id))
        other = await http.get(path, headers=bearer("other"))
        anonymous = await http.get(path)
    assert own.status_code == 200 and (other.status_code, anonymous.status_code) == (404, 401)
    assert (own.json()["state"], own.json()["attempts"]) == ("written", 0)
    assert (own.json()["netsuite_id"], own.json()["amount"]) == (written.data.netsuite_payment_id, "60.00")


async def test_a_payment_in_another_currency_than_its_invoice_is_an_action_item_not_a_write(world):
    await connect(world)
    invoice_id, _ = await netsuite_invoice(world, "250.00")
    await world.send(payment_received(world.tenant_id, "pay-eur", invoice_id, "100.00", currency="EUR"))

    outcome = await outcome_of(world, "pay-eur", "action_needed")
    assert "EUR" in outcome.data.message
    assert [i.data.payment_id for i in await action_items(world, "currency_mismatch")] == ["pay-eur"]
    assert await world.written("pay") == []


async def test_a_payment_for_a_platform_invoice_is_a_standalone_deposit(world):
    await connect(world)
    await world.send(payment_received(world.tenant_id, "pay-p", "platform-inv-9", "80.00", surcharge="2.40"))

    outcome = await outcome_of(world, "pay-p", "deposited")
    deposit = await world.record("deposit", outcome.data.netsuite_deposit_id)
    assert (deposit["account"]["id"], deposit["total"], deposit["payment"]["items"]) == ("1", 82.4, [])
    assert [(line["account"]["id"], line["amount"]) for line in deposit["other"]["items"]] == [("9", 82.4)]
    assert deposit["externalId"] == netsuite_external_id("dep", world.tenant_id, "pay-p")
    assert await world.written("pay") == []


async def test_payments_before_the_account_setup_wait_visibly_and_are_written_once_it_is_saved(world):
    await world.send(connection_changed(world.tenant_id, world.account_id, TIMEZONE))
    invoice_id, netsuite_id = await netsuite_invoice(world, "300.00")
    await world.send(payment_received(world.tenant_id, "pay-w", invoice_id, "300.00"))

    # (It may first wait for its invoice, consumed on another topic, and then for the setup.)
    await outcome_of(world, "pay-w", "waiting", containing="undeposited_funds")
    assert len(await action_items(world, "account_setup_missing")) == 1
    assert await world.written("pay") == []

    await world.send(account_setup_saved(world.tenant_id, world.account_id))
    await outcome_of(world, "pay-w", "written")
    assert (await world.record("invoice", netsuite_id))["amountRemaining"] == 0.0
    assert len(await action_items(world, "account_setup_missing", "ActionItemResolved")) == 1


async def test_a_failed_payment_writes_nothing_and_its_outcome_is_failed(world):
    await connect(world)
    invoice_id, netsuite_id = await netsuite_invoice(world, "120.00")
    await world.send(payment_failed(world.tenant_id, "pay-f", invoice_id),  # the failure overtakes the payment
                     payment_received(world.tenant_id, "pay-f", invoice_id, "120.00"),
                     payment_received(world.tenant_id, "pay-ok", invoice_id, "20.00"))

    await outcome_of(world, "pay-ok", "written")
    failed = await outcome_of(world, "pay-f", "failed")
    assert failed.data.message == "ach_return_R01" and failed.data.netsuite_payment_id is None
    assert [row["externalid"] for row in await world.written("pay")] == [netsuite_external_id("pay", world.tenant_id, "pay-ok")]
    assert (await world.record("invoice", netsuite_id))["amountRemaining"] == 100.0


async def test_a_payment_failing_after_it_was_written_leaves_netsuite_alone(world):
    await connect(world)
    invoice_id, netsuite_id = await netsuite_invoice(world, "120.00")
    await world.send(payment_received(world.tenant_id, "pay-r", invoice_id, "120.00"))
    written = await outcome_of(world, "pay-r", "written")
    await world.send(payment_failed(world.tenant_id, "pay-r", invoice_id))

    failed = await outcome_of(world, "pay-r", "failed")
    assert failed.data.netsuite_payment_id == written.data.netsuite_payment_id
    assert len(await world.written("pay")) == 1
    assert (await world.record("invoice", netsuite_id))["amountRemaining"] == 0.0


async def test_a_payment_right_behind_its_invoice_on_the_map_is_never_taken_for_a_platform_invoice(world):
    """The invoice map is consumed separately: an unknown invoice id waits until the map has caught up."""
    await connect(world)
    warm_up, _ = await netsuite_invoice(world, "10.00")
    await world.send(payment_received(world.tenant_id, "pay-warm-up", warm_up, "10.00"))
    await outcome_of(world, "pay-warm-up", "written")  # the payments consumer is live
    netsuite_ids = [await world.create_invoice("10.00") for _ in range(10)]
    # Keep the map's consumer busy with other invoices, so it lags behind the payments.
    await world.send_burst([invoice_updated(world.tenant_id, f"other-{n}", str(1000 + n), "1", "5.00", "5.00")
                            for n in range(500)])
    for n, netsuite_id in enumerate(netsuite_ids):
        invoice_id = platform_invoice_id(world.tenant_id, netsuite_id)
        await world.send(invoice_updated(world.tenant_id, invoice_id, netsuite_id, "1", "10.00", "10.00"),
                         payment_received(world.tenant_id, f"pay-{n}", invoice_id, "10.00"))

    for n in range(10):
        await outcome_of(world, f"pay-{n}", "written")
    assert len(await world.written("pay")) == 11 and await world.written("dep") == []
