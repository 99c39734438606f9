"""Every branch of the payout use cases, on the in-memory store and a fake NetSuite account."""
from netsuite_client import PermanentNetSuiteError
from sb_writeback import resumer
from sb_writeback.fakes import set_up_tenant
from sb_writeback.handlers import setup_changed
from sb_writeback.testing import account_setup_saved, connection_changed

from deposit_writer import handlers
from deposit_writer.testing import deposit_posted, fake_deps, payment_outcome

TENANT = "t1"


async def ready_deps(setup: bool = True):
    deps = fake_deps()
    await set_up_tenant(deps, TENANT, accounts=setup)
    return deps


async def written(deps, payment_id: str, amount: str, netsuite_payment_id: str) -> None:
    await handlers.payment_outcome(payment_outcome(TENANT, payment_id, amount,
                                                   netsuite_payment_id=netsuite_payment_id), deps)


def outcomes(deps) -> list[tuple[str, str]]:
    return [(e.data.payout_id, e.data.status) for e in deps.store.db.events("PayoutOutcomeRecorded")]


async def test_a_balanced_payout_becomes_one_bank_deposit_moving_its_payments_and_booking_its_fees():
    deps = await ready_deps()
    await written(deps, "pay-1", "100.00", "501")
    state = await handlers.deposit_posted(deposit_posted(TENANT, "po-1", ["pay-1"], "100.00", [("card", "2.90")]), deps)
    assert state == "deposited" and outcomes(deps) == [("po-1", "deposited")]
    [body] = deps.clients.records.bodies("deposit")
    assert body["payment"]["items"] == [{"id": "501", "deposit": True}]
    assert str(body["cashBack"]["items"][0]["amount"]) == "2.90"  # exact, never a float


async def test_a_payout_waits_for_its_payments_and_is_posted_when_the_last_one_lands():
    deps = await ready_deps()
    state = await handlers.deposit_posted(deposit_posted(TENANT, "po-1", ["pay-1"], "100.00", []), deps)
    assert state == "waiting" and deps.store.db.item_kinds() == ["payout_waiting_for_payments"]
    await written(deps, "pay-1", "100.00", "501")
    assert outcomes(deps) == [("po-1", "waiting"), ("po-1", "deposited")]
    assert deps.store.db.item_kinds("ActionItemResolved") == ["payout_waiting_for_payments"]


async def test_a_redelivered_payout_is_posted_once():
    deps = await ready_deps()
    await written(deps, "pay-1", "100.00", "501")
    event = deposit_posted(TENANT, "po-1", ["pay-1"], "100.00", [])
    await handlers.deposit_posted(event, deps)
    assert await handlers.deposit_posted(event, deps) == "deposited"
    assert len(deps.clients.records.created) == 1 and outcomes(deps) == [("po-1", "deposited")]


async def test_a_payout_that_does_not_balance_is_not_posted():
    deps = await ready_deps()
    await written(deps, "pay-1", "90.00", "501")
    state = await handlers.deposit_posted(deposit_posted(TENANT, "po-1", ["pay-1"], "100.00", []), deps)
    assert state == "action_needed" and deps.clients.records.created == {}
    assert deps.store.db.item_kinds() == ["deposit_does_not_balance"]


async def test_a_payout_waits_for_the_bank_account_and_is_posted_once_it_is_chosen():
    deps = await ready_deps(setup=False)
    await written(deps, "pay-1", "100.00", "501")
    state = await handlers.deposit_posted(deposit_posted(TENANT, "po-1", ["pay-1"], "100.00", []), deps)
    assert state == "waiting" and deps.store.db.item_kinds() == ["account_setup_missing"]
    await setup_changed(account_setup_saved(TENANT, "TSTDRV1"), deps)
    assert await resumer.resume_due(deps) == 1
    assert outcomes(deps)[-1] == ("po-1", "deposited")
    assert deps.store.db.item_kinds("ActionItemResolved") == ["account_setup_missing"]


async def test_a_refused_deposit_needs_the_partner():
    deps = await ready_deps()
    await written(deps, "pay-1", "100.00", "501")
    deps.clients.records.refusals.append(PermanentNetSuiteError("Invalid account reference key 1"))
    state = await handlers.deposit_posted(deposit_posted(TENANT, "po-1", ["pay-1"], "100.00", []), deps)
    assert state == "action_needed" and deps.store.db.item_kinds() == ["write_rejected"]


async def test_a_payout_waits_while_the_connection_is_not_usable():
    deps = await ready_deps()
    await written(deps, "pay-1", "100.00", "501")
    deps.clients.not_connected.add(TENANT)
    assert await handlers.deposit_posted(deposit_posted(TENANT, "po-1", ["pay-1"], "100.00", []), deps) == "waiting"
    assert deps.store.db.work[(TENANT, "po-1")].next_attempt_at is not None


async def test_a_payout_in_another_currency_than_the_bank_account_waits_for_a_bank_in_its_currency():
    deps = fake_deps()
    await set_up_tenant(deps, TENANT, accounts=False)
    await setup_changed(account_setup_saved(TENANT, "TSTDRV1", currencies={"deposit_bank": "USD"}), deps)
    await handlers.payment_outcome(payment_outcome(TENANT, "pay-1", "100.00", currency="CAD",
                                                   netsuite_payment_id="501"), deps)
    payout = deposit_posted(TENANT, "po-1", ["pay-1"], "100.00", [], currency="CAD")
    assert await handlers.deposit_posted(payout, deps) == "waiting"
    assert deps.clients.records.created == {}
    assert deps.store.db.item_kinds() == ["currency_mismatch"]
    [item] = deps.store.db.events("ActionItemRaised")
    assert "CAD" in item.data.message and "USD" in item.data.message
    await setup_changed(account_setup_saved(TENANT, "TSTDRV1", deposit_bank="2",
                                            currencies={"deposit_bank": "CAD"}), deps)
    assert await resumer.resume_due(deps) == 1
    assert outcomes(deps)[-1] == ("po-1", "deposited")
    [body] = deps.clients.records.bodies("deposit")
    assert body["account"] == {"id": "2"}
    assert deps.store.db.item_kinds("ActionItemResolved") == ["currency_mismatch"]


async def test_after_an_account_switch_a_payout_of_payments_written_to_the_first_account_is_not_deposited():
    deps = await ready_deps()
    await written(deps, "pay-1", "100.00", "501")  # written to the first account (scope None)
    await setup_changed(connection_changed(TENANT, "TSTDRV2", id_scope="TSTDRV2"), deps)
    await setup_changed(account_setup_saved(TENANT, "TSTDRV2"), deps)
    state = await handlers.deposit_posted(deposit_posted(TENANT, "po-1", ["pay-1"], "100.00", []), deps)
    assert state == "action_needed" and deps.clients.records.created == {}
    [item] = deps.store.db.events("ActionItemRaised")
    assert "not connected to now: pay-1" in item.data.message

    await handlers.payment_outcome(payment_outcome(TENANT, "pay-2", "50.00", netsuite_payment_id="601",
                                                   netsuite_id_scope="TSTDRV2"), deps)
    assert await handlers.deposit_posted(deposit_posted(TENANT, "po-2", ["pay-2"], "50.00", []), deps) == "deposited"
