"""Exactly once on the money path: poison to the DLQ, ambiguous NetSuite writes, the crash window
between a NetSuite write and its commit, and replays from offset 0."""
from __future__ import annotations

import asyncio
import json
import uuid

import pytest

from contracts import topics
from contracts.ids import netsuite_external_id

from payment_reconciler.testing import payment_received

from .helpers import connected_with_invoices, outcomes

pytestmark = pytest.mark.asyncio(loop_scope="module")


async def test_poison_payments_go_to_the_dlq_with_their_reason_and_the_rest_is_written(world):
    [(invoice_id, _)] = await connected_with_invoices(world, 1)
    good = json.loads(payment_received(world.tenant_id, "pay-ok", invoice_id, "10.00").to_bytes())

    def variant(**data):
        return {**good, "event_id": str(uuid.uuid4()), "data": data}

    negative = variant(**{**good["data"], "payment_id": "pay-neg", "amount": "-5.00"})
    unknown = variant(**{**good["data"], "payment_id": "pay-abc", "currency": "ABC"})
    missing = variant(payment_id="pay-half", invoice_id=invoice_id)
    for document in (negative, unknown, missing, good):
        await world.send_raw(topics.PLATFORM_PAYMENTS, json.dumps(document).encode())

    dead = await world.dead_letters(topics.PLATFORM_PAYMENTS, at_least=3)
    reasons = {json.loads(value)["data"]["payment_id"]: headers["dlq.reason"].decode() for value, headers in dead}
    assert set(reasons) == {"pay-neg", "pay-abc", "pay-half"}
    assert "amount" in reasons["pay-neg"] and "ABC" in reasons["pay-abc"] and "ValidationError" in reasons["pay-half"]
    await outcomes(world, "written", 1)  # the good one may come in a later batch than the poison
    assert [row["externalid"] for row in await world.written("pay")] == [netsuite_external_id("pay", world.tenant_id, "pay-ok")]


async def test_a_write_that_landed_before_a_crash_is_found_not_repeated(world, running_service):
    """The crash window: NetSuite has the payment, our row is still pending. Re-running finds it."""
    [(invoice_id, netsuite_id)] = await connected_with_invoices(world, 1)
    external_id = netsuite_external_id("pay", world.tenant_id, "pay-crash")
    landed = await world.netsuite.records.create("customerpayment", {
        "customer": {"id": "1"}, "payment": 40.0, "externalId": external_id, "undepFunds": True,
        "apply": {"items": [{"doc": {"id": netsuite_id}, "apply": True, "amount": 40.0}]}})
    await world.send(payment_received(world.tenant_id, "pay-crash", invoice_id, "40.00"))

    [outcome] = await outcomes(world, "written", 1)
    assert outcome.data.netsuite_payment_id == landed
    assert [row["id"] for row in await world.written("pay")] == [landed]
    assert (await world.record("invoice", netsuite_id))["amountRemaining"] == 60.0


async def test_ambiguous_writes_still_give_exactly_one_customer_payment_per_payment(world, emulator):
    invoices = await connected_with_invoices(world, 30)
    await asyncio.to_thread(emulator.patch_account, world.account_id, ambiguous_write_rate=0.2)
    await world.send(*(payment_received(world.tenant_id, f"pay-{n:03}", invoices[n % 30][0], "1.00")
                       for n in range(300)))

    await outcomes(world, "written", 300, timeout_s=120)
    rows = await world.written("pay")
    assert len(rows) == 300 and len({row["externalid"] for row in rows}) == 300
    remaining = await world.suiteql("SELECT DISTINCT foreignamountunpaid FROM transaction "
                                    f"WHERE type = 'CustInvc' AND id IN ({', '.join(n for _, n in invoices)})")
    assert [row["foreignamountunpaid"] for row in remaining] == ["90"]
    faults = (await asyncio.to_thread(emulator.stats, world.account_id))["status_counts"]
    assert faults.get("500", 0) + faults.get("dropped", 0) > 0  # the faults really happened


async def test_replaying_the_payments_topic_from_offset_zero_writes_nothing_new(world, emulator, running_service):
    invoices = await connected_with_invoices(world, 3)
    await world.send(*(payment_received(world.tenant_id, f"pay-{n}", invoices[n % 3][0], "5.00") for n in range(9)))
    await world.send(payment_received(world.tenant_id, "pay-p", "platform-invoice", "7.00"))
    await outcomes(world, "written", 9)
    await outcomes(world, "deposited", 1)
    outcomes_before = len(await world.events(topics.PAYMENT_OUTCOMES))
    posts_before = (await asyncio.to_thread(emulator.stats, world.account_id))["requests"]

    await running_service.replay(world, topics.PLATFORM_PAYMENTS)

    posts_after = (await asyncio.to_thread(emulator.stats, world.account_id))["requests"]
    writes = {route: n for route, n in posts_after.items() if route.startswith("POST") and posts_before.get(route) != n}
    assert writes == {}
    assert len(await world.written("pay")) == 9 and len(await world.written("dep")) == 1
    assert len(await world.events(topics.PAYMENT_OUTCOMES)) == outcomes_before
