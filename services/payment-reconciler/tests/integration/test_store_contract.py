"""One contract for the payment store, run against the fake (``testing.FakePayments``) and PostgreSQL
(``store.PgPayments`` on the migrated schema), so the fake the unit tests use cannot drift."""
from dataclasses import replace
from datetime import UTC, datetime
from decimal import Decimal

import pytest
import pytest_asyncio
from contracts.action_items import ActionItemData
from sb_writeback.fixtures import contract_store, store_database  # noqa: F401 - fixture
from sb_writeback.setup import TenantSetup
from sb_writeback.testing import account_setup_saved, connection_changed

from payment_reconciler.app import MIGRATIONS
from payment_reconciler.deps import PAYMENTS
from payment_reconciler.reconciling import Payment
from payment_reconciler.store import PgPayments
from payment_reconciler.testing import FakePayments, invoice_updated

AT = datetime(2026, 11, 27, tzinfo=UTC)


@pytest_asyncio.fixture
async def store(store_database, unique):
    async with contract_store(store_database, unique, FakePayments, PgPayments, PAYMENTS, MIGRATIONS) as opened:
        yield opened


def payment(state: str = "pending", **extra) -> Payment:
    return Payment("t1", "pay-1", state, invoice_id="inv-1", amount=Decimal("100.00"), currency="USD",
                   method="ach", received_at=AT, origin="netsuite", **extra)


async def test_an_event_is_claimed_once(store):
    async with store.transaction() as transaction:
        assert await transaction.claim("payment-reconciler", "e1")
        assert not await transaction.claim("payment-reconciler", "e1")


async def test_a_failed_transaction_leaves_nothing_behind(store):
    with pytest.raises(RuntimeError):
        async with store.transaction() as transaction:
            await transaction.insert_payment(payment())
            raise RuntimeError("crash")
    async with store.transaction() as transaction:
        assert await transaction.get_payment("t1", "pay-1") is None


async def test_a_payment_is_inserted_once_and_updated_only_from_the_state_it_was_read_in(store):
    async with store.transaction() as transaction:
        assert await transaction.insert_payment(payment())
        assert not await transaction.insert_payment(payment("waiting"))
        assert not await transaction.update_payment(payment("written"), "waiting")
        assert await transaction.update_payment(payment("waiting", reason="setup"), "pending")
        assert await transaction.get_payment("t1", "pay-1", lock=True) == payment("waiting", reason="setup")


async def test_finishing_a_payment_that_failed_meanwhile_leaves_it_failed(store):
    async with store.transaction() as transaction:
        await transaction.insert_payment(payment(failed_at=AT, failure_reason="R01"))
        await transaction.set_plan("t1", "pay-1", Decimal("60.00"))
        done = await transaction.finish("t1", "pay-1", "written", "501", Decimal("60.00"))
        assert (done.state, done.netsuite_record_id, done.planned_apply) == ("failed", "501", Decimal("60.00"))
        assert await transaction.finish("t1", "pay-1", "written", "501", Decimal("60.00")) is None


async def test_work_set_aside_waits_for_a_setup_change_and_failures_back_off(store):
    async with store.transaction() as transaction:
        await transaction.insert_payment(payment())
        await transaction.insert_payment(replace(payment(), payment_id="pay-2"))
        assert (await transaction.set_aside("t1", "pay-1", "waiting", "setup", None, None)).state == "waiting"
        await transaction.record_failure("t1", "pay-2", "503")
        assert await transaction.due(0.0, 10) == []
        await transaction.schedule_waiting("t1")
        assert await transaction.due(0.0, 10) == [("t1", "pay-1")]
        assert (await transaction.get_payment("t1", "pay-2")).attempts == 1


async def test_the_invoice_map_keeps_the_newest_version(store):
    async with store.transaction() as transaction:
        await transaction.save_invoice(invoice_updated("t1", "inv-1", "901", "55", "150.00", "150.00", version=2))
        await transaction.save_invoice(invoice_updated("t1", "inv-1", "901", "55", "150.00", "10.00", version=1))
        assert (await transaction.get_invoice("t1", "inv-1")).amount_remaining == Decimal("150.00")
        assert await transaction.get_invoice("t1", "inv-2") is None


async def test_setup_and_action_items_are_raised_once_and_resolved_once(store):
    item = ActionItemData(item_id="payment-reconciler:account_setup_missing:undeposited_funds",
                          kind="account_setup_missing", message="choose", source="payment-reconciler", at=AT)
    async with store.transaction() as transaction:
        await transaction.save_connection(connection_changed("t1", "TSTDRV1", "America/New_York"))
        assert len(await transaction.raise_item("t1", item)) == 1
        assert await transaction.raise_item("t1", item) == []
        assert await transaction.resolve_made_choices(await transaction.load_setup("t1"), "payment-reconciler") == []
        await transaction.save_accounts(account_setup_saved("t1", "TSTDRV1"))
        tenant = await transaction.load_setup("t1", for_decision=False)
        assert tenant == TenantSetup("t1", "connected", "TSTDRV1", "America/New_York", "TSTDRV1", "3", "1", "10", "9")
        [resolved] = await transaction.resolve_made_choices(tenant, "payment-reconciler")
        assert resolved.data.item_id == item.item_id
        assert await transaction.resolve_item("t1", item.item_id) == []
        [again] = await transaction.raise_item("t1", item)
        assert again.event_id != resolved.event_id


async def test_a_payment_waiting_for_its_invoice_is_due_when_it_arrives_or_after_the_bound(store):
    async with store.transaction() as transaction:
        await transaction.insert_payment(payment("waiting", reason="invoice unknown"))
        await transaction.recheck_after("t1", "pay-1", 3600.0)
        assert await transaction.due(0.0, 10) == []
        assert not await transaction.schedule_for_invoice("t1", "inv-other")
        assert await transaction.schedule_for_invoice("t1", "inv-1")
        assert await transaction.due(0.0, 10) == [("t1", "pay-1")]
        assert await transaction.due(0.0, 10, [("t1", "pay-1")]) == []  # already in a lane of this process
        await transaction.recheck_after("t1", "pay-1", 0.0)
        assert await transaction.due(0.0, 10) == [("t1", "pay-1")]


async def test_the_account_scope_of_invoices_and_tenants_and_the_bank_currency_are_kept(store):
    async with store.transaction() as transaction:
        await transaction.save_invoice(invoice_updated("t1", "inv-1", "901", "55", "150.00", "150.00",
                                                       id_scope="TSTDRV2"))
        assert (await transaction.get_invoice("t1", "inv-1")).id_scope == "TSTDRV2"
        await transaction.save_connection(connection_changed("t1", "TSTDRV2", "UTC", id_scope="TSTDRV2"))
        await transaction.save_connection(connection_changed("t1", None, status="error"))  # no account: scope kept
        await transaction.save_accounts(account_setup_saved("t1", "TSTDRV2", currencies={"deposit_bank": "CAD"}))
        tenant = await transaction.load_setup("t1", for_decision=False)
        assert (tenant.id_scope, tenant.deposit_bank_currency) == ("TSTDRV2", "CAD")
