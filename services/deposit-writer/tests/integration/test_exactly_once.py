"""Exactly once for payouts: ambiguous NetSuite writes, the crash window, account setup arriving late,
and replaying platform.payouts.v1 from offset 0."""
from __future__ import annotations

import asyncio

import pytest

from contracts.ids import netsuite_external_id
from sb_writeback.testing import account_setup_saved, connection_changed

from contracts import topics
from deposit_writer.testing import deposit_posted

from .conftest import TIMEZONE
from .helpers import action_items, connect, payout_outcome, written_payment

pytestmark = pytest.mark.asyncio(loop_scope="module")


async def test_ambiguous_writes_still_give_exactly_one_deposit_per_payout(world, emulator):
    await connect(world)
    for n in range(20):
        await written_payment(world, f"pay-{n}", "10.00")
    await asyncio.to_thread(emulator.patch_account, world.account_id, ambiguous_write_rate=0.3)
    await world.send(*(deposit_posted(world.tenant_id, f"po-{n}", [f"pay-{n}"], "10.00", [("card", "0.30")])
                       for n in range(20)))

    for n in range(20):
        await payout_outcome(world, f"po-{n}", "deposited", timeout_s=60)
    rows = await world.written("payout")
    assert len(rows) == 20 and {row["foreigntotal"] for row in rows} == {"9.7"}


async def test_a_deposit_that_landed_before_a_crash_is_found_not_repeated(world):
    await connect(world)
    payment, _ = await written_payment(world, "pay-a", "25.00")
    landed = await world.netsuite.records.create("deposit", {
        "account": {"id": "1"}, "externalId": netsuite_external_id("payout", world.tenant_id, "po-c"),
        "payment": {"items": [{"id": payment, "deposit": True}]}})
    await world.send(deposit_posted(world.tenant_id, "po-c", ["pay-a"], "25.00", []))

    outcome = await payout_outcome(world, "po-c", "deposited")
    assert outcome.data.netsuite_deposit_id == landed
    assert [row["id"] for row in await world.written("payout")] == [landed]


async def test_a_payout_before_the_account_setup_waits_and_is_posted_once_it_is_saved(world):
    await world.send(connection_changed(world.tenant_id, world.account_id, TIMEZONE))
    await written_payment(world, "pay-a", "80.00")
    await world.send(deposit_posted(world.tenant_id, "po-s", ["pay-a"], "80.00", [("ach", "0.40")]))

    waiting = await payout_outcome(world, "po-s", "waiting", containing="account setup")
    assert "deposit_bank" in waiting.data.message and "fee_expense" in waiting.data.message
    assert len(await action_items(world, "account_setup_missing")) == 2
    await world.send(account_setup_saved(world.tenant_id, world.account_id))

    deposited = await payout_outcome(world, "po-s", "deposited")
    assert (await world.record("deposit", deposited.data.netsuite_deposit_id))["total"] == 79.6


async def test_replaying_the_payouts_topic_from_offset_zero_writes_nothing_new(world, emulator, running_service):
    await connect(world)
    for n in range(3):
        await written_payment(world, f"pay-{n}", "20.00")
        await world.send(deposit_posted(world.tenant_id, f"po-{n}", [f"pay-{n}"], "20.00", []))
    for n in range(3):
        await payout_outcome(world, f"po-{n}", "deposited")
    outcomes_before = len(await world.events(topics.PAYOUT_OUTCOMES))
    requests_before = (await asyncio.to_thread(emulator.stats, world.account_id))["requests"]

    await running_service.replay(world, topics.PLATFORM_PAYOUTS)

    requests_after = (await asyncio.to_thread(emulator.stats, world.account_id))["requests"]
    assert {route: n for route, n in requests_after.items() if requests_before.get(route) != n} == {}
    assert len(await world.written("payout")) == 3
    assert len(await world.events(topics.PAYOUT_OUTCOMES)) == outcomes_before
