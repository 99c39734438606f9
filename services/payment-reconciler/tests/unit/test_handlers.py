"""Every branch of the payment use cases, on the in-memory store and a fake NetSuite account."""
from decimal import Decimal

import pytest
from netsuite_client import PermanentNetSuiteError, TransientNetSuiteError
from sb_writeback import resumer
from sb_writeback.fakes import set_up_tenant
from sb_writeback.handlers import setup_changed
from sb_writeback.testing import account_setup_saved, connection_changed
from sb_writeback.writing import NotWrittenYet

from payment_reconciler import handlers
from payment_reconciler.testing import fake_deps, invoice_updated, payment_failed, payment_received

TENANT = "t1"


async def ready_deps(setup: bool = True):
    deps = fake_deps()
    await set_up_tenant(deps, TENANT, accounts=setup)
    await handlers.invoice_updated(invoice_updated(TENANT, "inv-1", "901", "55", "150.00", "150.00"), deps)
    deps.clients.records.records[("invoice", "901")] = {"amountRemaining": "150.00"}
    return deps


def outcomes(deps) -> list[tuple[str, str]]:
    return [(e.data.payment_id, e.data.status) for e in deps.store.db.events("PaymentOutcomeRecorded")]


async def test_a_payment_for_a_netsuite_invoice_becomes_one_applied_customer_payment():
    deps = await ready_deps()
    state = await handlers.payment_received(payment_received(TENANT, "pay-1", "inv-1", "100.00"), deps)
    assert state == "written"
    [body] = deps.clients.records.bodies("customerpayment")
    assert str(body["apply"]["items"][0]["amount"]) == "100.00" and body["customer"] == {"id": "55"}
    assert outcomes(deps) == [("pay-1", "written")]


async def test_a_payment_for_an_unknown_invoice_becomes_a_standalone_deposit():
    deps = await ready_deps()
    assert await handlers.payment_received(payment_received(TENANT, "pay-2", "inv-x", "80.00"), deps) == "deposited"
    [body] = deps.clients.records.bodies("deposit")
    assert str(body["other"]["items"][0]["amount"]) == "80.00"


async def test_a_redelivered_payment_is_written_once():
    deps = await ready_deps()
    event = payment_received(TENANT, "pay-1", "inv-1", "100.00")
    await handlers.payment_received(event, deps)
    assert await handlers.payment_received(event, deps) == "written"
    assert len(deps.clients.records.created) == 1 and outcomes(deps) == [("pay-1", "written")]


async def test_a_failure_seen_before_the_payment_means_nothing_is_written():
    deps = await ready_deps()
    await handlers.payment_failed(payment_failed(TENANT, "pay-1", "inv-1"), deps)
    state = await handlers.payment_received(payment_received(TENANT, "pay-1", "inv-1", "100.00"), deps)
    assert state == "failed"
    assert deps.clients.records.created == {} and outcomes(deps) == [("pay-1", "failed")]


async def test_a_refused_write_is_planned_again_on_netsuites_balance_and_the_rest_is_an_overpayment():
    deps = await ready_deps()
    deps.clients.records.records[("invoice", "901")] = {"amountRemaining": "40.00"}  # paid in NetSuite meanwhile
    deps.clients.records.refusals.append(PermanentNetSuiteError("amount exceeds the invoice's balance"))
    assert await handlers.payment_received(payment_received(TENANT, "pay-1", "inv-1", "100.00"), deps) == "written"
    [body] = deps.clients.records.bodies("customerpayment")
    assert str(body["apply"]["items"][0]["amount"]) == "40.00" and body["payment"] == Decimal("100.00")
    assert deps.store.db.item_kinds() == ["overpayment"]


async def test_a_refusal_the_plan_cannot_explain_needs_the_partner():
    deps = await ready_deps()
    deps.clients.records.refusals.append(PermanentNetSuiteError("Invalid account reference key 3"))
    state = await handlers.payment_received(payment_received(TENANT, "pay-1", "inv-1", "100.00"), deps)
    assert state == "action_needed" and deps.store.db.item_kinds() == ["write_rejected"]


async def test_a_payment_waits_for_the_account_setup_and_is_written_once_it_is_saved():
    deps = await ready_deps(setup=False)
    state = await handlers.payment_received(payment_received(TENANT, "pay-1", "inv-1", "100.00"), deps)
    assert state == "waiting" and deps.store.db.item_kinds() == ["account_setup_missing"]
    await setup_changed(account_setup_saved(TENANT, "TSTDRV1"), deps)
    assert deps.wakeup.is_set()
    assert await resumer.resume_due(deps) == 1
    assert outcomes(deps) == [("pay-1", "waiting"), ("pay-1", "written")]
    assert deps.store.db.item_kinds("ActionItemResolved") == ["account_setup_missing"]


async def test_a_payment_waits_while_the_connection_is_not_usable():
    deps = await ready_deps()
    deps.clients.not_connected.add(TENANT)
    assert await handlers.payment_received(payment_received(TENANT, "pay-1", "inv-1", "100.00"), deps) == "waiting"
    assert deps.store.db.work[(TENANT, "pay-1")].next_attempt_at is not None


async def test_a_netsuite_outage_counts_the_attempt_and_leaves_the_payment_pending():
    deps = await ready_deps()
    deps.clients.records.refusals.append(TransientNetSuiteError("503 from NetSuite", status=503))
    with pytest.raises(NotWrittenYet):
        await handlers.payment_received(payment_received(TENANT, "pay-1", "inv-1", "100.00"), deps)
    row = deps.store.db.work[(TENANT, "pay-1")]
    assert (row.value.state, row.attempts) == ("pending", 1) and "503" in row.last_error


async def test_a_failure_after_the_write_is_announced_and_the_currency_item_resolved():
    deps = await ready_deps()
    await handlers.payment_received(payment_received(TENANT, "pay-1", "inv-1", "100.00", currency="EUR"), deps)
    assert deps.store.db.item_kinds() == ["currency_mismatch"]
    assert await handlers.payment_failed(payment_failed(TENANT, "pay-1", "inv-1"), deps) == "failed"
    assert outcomes(deps)[-1] == ("pay-1", "failed") and deps.store.db.item_kinds("ActionItemResolved") == ["currency_mismatch"]
    assert deps.store.db.work[(TENANT, "pay-1")].value.applied_amount is None
    assert Decimal("100.00") == deps.store.db.work[(TENANT, "pay-1")].value.amount


async def test_an_unknown_invoice_that_may_be_netsuites_waits_for_it_and_is_then_applied_to_it():
    from contracts.ids import platform_invoice_id

    deps = await ready_deps()
    invoice_id = platform_invoice_id(TENANT, "902")  # the form of a NetSuite invoice's id: no proof of R14
    state = await handlers.payment_received(payment_received(TENANT, "pay-1", invoice_id, "100.00"), deps)
    assert state == "waiting" and deps.clients.records.created == {}
    assert outcomes(deps) == [("pay-1", "waiting")] and invoice_id in deps.store.db.events("PaymentOutcomeRecorded")[0].data.message

    await setup_changed(account_setup_saved(TENANT, "TSTDRV1"), deps)  # an early re-decision: no item yet
    assert await resumer.resume_due(deps) == 1 and deps.store.db.item_kinds() == []
    await handlers.invoice_updated(invoice_updated(TENANT, invoice_id, "902", "55", "100.00", "100.00"), deps)
    assert deps.wakeup.is_set() and await resumer.resume_due(deps) == 1
    assert outcomes(deps) == [("pay-1", "waiting"), ("pay-1", "written")]
    [body] = deps.clients.records.bodies("customerpayment")
    assert body["apply"]["items"][0]["doc"] == {"id": "902"} and deps.clients.records.bodies("deposit") == []


async def test_a_payment_still_waiting_for_its_invoice_after_the_bound_is_an_action_item():
    from datetime import timedelta

    from contracts.ids import platform_invoice_id

    from contracts.envelope import utc_now

    deps = await ready_deps()
    invoice_id = platform_invoice_id(TENANT, "903")
    received_at = utc_now() - timedelta(seconds=deps.invoice_unknown_after_s + 1)
    await handlers.payment_received(payment_received(TENANT, "pay-1", invoice_id, "100.00", received_at=received_at),
                                    deps)
    assert await resumer.resume_due(deps) == 0 and deps.store.db.item_kinds() == []  # not before the bound
    deps.store.db.now += timedelta(seconds=deps.invoice_unknown_after_s + 1)
    assert await resumer.resume_due(deps) == 1
    assert deps.store.db.item_kinds() == ["invoice_unknown"] and deps.clients.records.created == {}
    assert deps.store.db.work[(TENANT, "pay-1")].value.state == "waiting"

    await handlers.invoice_updated(invoice_updated(TENANT, invoice_id, "903", "55", "100.00", "100.00"), deps)
    assert await resumer.resume_due(deps) == 1
    assert outcomes(deps)[-1] == ("pay-1", "written")
    assert deps.store.db.item_kinds("ActionItemResolved") == ["invoice_unknown"]


async def test_after_an_account_switch_a_payment_on_the_old_accounts_invoice_is_not_written_to_the_new_one():
    deps = await ready_deps()  # invoice inv-1 is NetSuite invoice 901 of the first account (TSTDRV1)
    await setup_changed(connection_changed(TENANT, "TSTDRV2", "America/New_York", id_scope="TSTDRV2"), deps)
    await setup_changed(account_setup_saved(TENANT, "TSTDRV2"), deps)
    deps.clients.account_id = "TSTDRV2"
    await handlers.invoice_updated(invoice_updated(TENANT, "inv-2", "901", "55", "150.00", "150.00",
                                                   id_scope="TSTDRV2"), deps)
    assert await handlers.payment_received(payment_received(TENANT, "pay-1", "inv-1", "100.00"), deps) == "waiting"
    assert deps.clients.records.created == {}
    [item] = deps.store.db.events("ActionItemRaised")
    assert item.data.kind == "write_rejected" and "not connected to now" in item.data.message
    assert await handlers.payment_received(payment_received(TENANT, "pay-2", "inv-2", "100.00"), deps) == "written"
    [body] = deps.clients.records.bodies("customerpayment")
    assert body["apply"]["items"][0]["doc"] == {"id": "901"}  # the second account's invoice 901, for pay-2 only

    await setup_changed(connection_changed(TENANT, "TSTDRV1", "America/New_York"), deps)  # switched back
    await setup_changed(account_setup_saved(TENANT, "TSTDRV1"), deps)
    deps.clients.account_id = "TSTDRV1"
    assert await resumer.resume_due(deps) == 1
    assert outcomes(deps)[-1] == ("pay-1", "written")
    assert [e.data.item_id for e in deps.store.db.events("ActionItemResolved")] == [item.data.item_id]


async def test_a_payment_decided_before_a_switch_reached_write_back_is_not_written_to_the_new_account():
    deps = await ready_deps()
    deps.clients.account_id = "TSTDRV2"  # the connector switched; its ConnectionChanged has not arrived yet
    assert await handlers.payment_received(payment_received(TENANT, "pay-1", "inv-1", "100.00"), deps) == "waiting"
    assert deps.clients.records.created == {}
    await setup_changed(connection_changed(TENANT, "TSTDRV2", "America/New_York", id_scope="TSTDRV2"), deps)
    await setup_changed(account_setup_saved(TENANT, "TSTDRV2"), deps)
    assert await resumer.resume_due(deps) == 1
    assert deps.clients.records.created == {}  # inv-1 is the first account's invoice 901
    assert deps.store.db.item_kinds() == ["write_rejected"]
