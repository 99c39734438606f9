"""R15 end to end: a DepositPosted on Kafka in, one NetSuite bank deposit (checked through the
emulator's REST API and SuiteQL) and the payout's outcome out."""
from __future__ import annotations

import pytest

from contracts import topics
from contracts.ids import netsuite_external_id

from deposit_writer.testing import deposit_posted

from .helpers import action_items, connect, payout_outcome, standalone_payment, written_payment

pytestmark = pytest.mark.asyncio(loop_scope="module")


async def test_a_payout_becomes_one_deposit_with_payment_surcharge_and_fee_lines(world):
    await connect(world)
    first, _ = await written_payment(world, "pay-a", "100.00")
    second, _ = await written_payment(world, "pay-b", "50.00", surcharge="2.00")
    await standalone_payment(world, "pay-p", "30.00", surcharge="1.00")
    # gross = 100 + (50 + 2) + (30 + 1) = 183.00; net = 183.00 - 3.20
    await world.send(deposit_posted(world.tenant_id, "po-1", ["pay-a", "pay-b", "pay-p"], "183.00",
                                    [("processing", "3.20")]))

    outcome = await payout_outcome(world, "po-1", "deposited")
    deposit = await world.record("deposit", outcome.data.netsuite_deposit_id)
    assert deposit["externalId"] == netsuite_external_id("payout", world.tenant_id, "po-1")
    assert (deposit["account"]["id"], deposit["tranDate"], deposit["total"]) == ("1", "2026-11-27", 148.8)
    assert sorted(line["id"] for line in deposit["payment"]["items"]) == sorted([first, second])
    assert [(line["account"]["id"], line["amount"]) for line in deposit["other"]["items"]] == [("9", 2.0)]
    assert [(line["account"]["id"], line["amount"]) for line in deposit["cashBack"]["items"]] == [("10", 3.2)]
    statuses = await world.suiteql(f"SELECT DISTINCT status FROM transaction WHERE id IN ({first}, {second})")
    assert statuses == [{"status": "C"}]  # Deposited


async def test_a_payout_that_does_not_balance_is_an_action_item_with_the_difference_not_a_deposit(world):
    await connect(world)
    await written_payment(world, "pay-a", "100.00")
    await world.send(deposit_posted(world.tenant_id, "po-2", ["pay-a"], "101.00", [("card", "1.50")]))

    outcome = await payout_outcome(world, "po-2", "action_needed")
    assert str(outcome.data.difference) == "1.00"
    [item] = await action_items(world, "deposit_does_not_balance")
    assert item.data.payout_id == "po-2" and "1.00" in item.data.message
    assert await world.written("payout") == []


async def test_a_payout_before_its_payments_waits_visibly_and_is_deposited_once_they_land(world):
    await connect(world)
    _, outcome_a = await written_payment(world, "pay-a", "40.00", announce=False)
    _, outcome_b = await written_payment(world, "pay-b", "60.00", announce=False)
    await world.send(deposit_posted(world.tenant_id, "po-3", ["pay-a", "pay-b"], "100.00", [("ach", "0.80")]))

    waiting = await payout_outcome(world, "po-3", "waiting")
    assert waiting.data.missing_payment_ids == ["pay-a", "pay-b"]
    assert len(await action_items(world, "payout_waiting_for_payments")) == 1
    await world.send(outcome_a)
    await world.send(outcome_b)

    deposited = await payout_outcome(world, "po-3", "deposited")
    assert (await world.record("deposit", deposited.data.netsuite_deposit_id))["total"] == 99.2
    assert len(await action_items(world, "payout_waiting_for_payments", "ActionItemResolved")) == 1


async def test_a_payout_of_standalone_payments_only_and_no_fees_needs_no_deposit(world):
    await connect(world)
    await standalone_payment(world, "pay-p", "30.00")
    await world.send(deposit_posted(world.tenant_id, "po-4", ["pay-p"], "30.00", []))

    outcome = await payout_outcome(world, "po-4", "deposited")
    assert outcome.data.netsuite_deposit_id is None and "stand-alone" in outcome.data.message
    assert await world.written("payout") == []


async def test_poison_payouts_go_to_the_dlq_with_their_reason(world):
    await connect(world)
    await written_payment(world, "pay-a", "10.00")
    good = deposit_posted(world.tenant_id, "po-ok", ["pay-a"], "10.00", [])
    unknown = deposit_posted(world.tenant_id, "po-abc", ["pay-a"], "10.00", [], currency="ABC")
    broken = good.model_copy(update={"event_id": "5f0c6d5e-3f0c-4a55-9a63-8f6f3c1b2d11", "data": good.data.model_copy(
        update={"payout_id": "po-net", "net_amount": good.data.net_amount - 1})})
    await world.send(unknown, broken, good)

    await payout_outcome(world, "po-ok", "deposited")
    dead = await world.dead_letters(topics.PLATFORM_PAYOUTS, at_least=2)
    reasons = sorted(headers["dlq.reason"].decode() for _, headers in dead)
    assert len(reasons) == 2 and "unknown currency 'ABC'" in reasons[1] and "net_amount" in reasons[0]
