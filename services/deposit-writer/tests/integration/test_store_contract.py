"""One contract for the payout store, run against the fake (``testing.FakePayouts``) and PostgreSQL
(``store.PgPayouts`` on the migrated schema), so the fake the unit tests use cannot drift. What both
write-back stores share (claims, setup, action items) is payment-reconciler's contract test."""
from datetime import date
from decimal import Decimal

import pytest
import pytest_asyncio
from sb_writeback.fixtures import contract_store, store_database  # noqa: F401 - fixture
from sb_writeback.work import WorkState

from deposit_writer.app import MIGRATIONS
from deposit_writer.balancing import FeeLine, KnownPayment, Payout
from deposit_writer.deps import PAYOUTS
from deposit_writer.store import PgPayouts
from deposit_writer.testing import FakePayouts, deposit_posted, payment_outcome


@pytest_asyncio.fixture
async def store(store_database, unique):
    async with contract_store(store_database, unique, FakePayouts, PgPayouts, PAYOUTS, MIGRATIONS) as opened:
        yield opened


POSTED = deposit_posted("t1", "po-1", ["pay-1", "pay-2"], "100.00", [("card", "2.90"), ("processing", "0.30")])
PAYOUT = Payout("t1", "po-1", WorkState.PENDING, "USD", date(2026, 11, 27), Decimal("100.00"), Decimal("3.20"),
                Decimal("96.80"), ("pay-1", "pay-2"), (FeeLine("card", Decimal("2.90")), FeeLine("processing", Decimal("0.30"))))


async def test_a_later_outcome_keeps_the_netsuite_ids_of_an_earlier_one(store):
    async with store.transaction() as transaction:
        await transaction.save_payment(payment_outcome("t1", "pay-1", "40.00", netsuite_payment_id="701"))
        await transaction.save_payment(payment_outcome("t1", "pay-1", "40.00", status="deposited",
                                                       netsuite_deposit_id="801"))
        known = await transaction.known_payments("t1", ["pay-1", "pay-9"])
    assert known == {"pay-1": KnownPayment("pay-1", "deposited", "netsuite", Decimal("40.00"), Decimal("0.00"),
                                           "USD", "701", "801")}


async def test_a_payout_is_inserted_once_and_read_back_as_posted(store):
    async with store.transaction() as transaction:
        await transaction.lock_tenant("t1")
        assert await transaction.insert_payout(POSTED)
        assert not await transaction.insert_payout(POSTED)
        assert await transaction.get_payout("t1", "po-1", lock=True) == PAYOUT
        assert await transaction.get_payout("t1", "po-2") is None
    with pytest.raises(RuntimeError):
        async with store.transaction() as transaction:
            await transaction.insert_payout(deposit_posted("t1", "po-2", ["pay-3"], "5.00", []))
            raise RuntimeError("crash before commit")
    async with store.transaction() as transaction:
        assert await transaction.get_payout("t1", "po-2") is None


async def test_a_transition_happens_only_from_the_state_it_was_decided_from(store):
    async with store.transaction() as transaction:
        await transaction.insert_payout(POSTED)
        assert await transaction.transition(PAYOUT, WorkState.WAITING, waiting_for=("pay-2",), reason="payments")
        assert not await transaction.transition(PAYOUT, WorkState.WRITTEN, netsuite_deposit_id="901")
        assert await transaction.waiting_for_payment("t1", "pay-2") == ["po-1"]
        assert await transaction.waiting_for_payment("t1", "pay-1") == []
        waiting = await transaction.get_payout("t1", "po-1")
        assert waiting.state == WorkState.WAITING
        assert await transaction.transition(waiting, WorkState.ACTION_NEEDED, difference=Decimal("-1.50"),
                                            reason="unbalanced", error="off by 1.50")
        status = await transaction.payout_status("t1", "po-1")
        assert await transaction.waiting_for_payment("t1", "pay-2") == []
        assert await transaction.payout_status("t1", "po-9") is None
    assert {**status, "waiting_for": list(status["waiting_for"])} == {
        "payout_id": "po-1", "state": WorkState.ACTION_NEEDED, "currency": "USD", "net_amount": Decimal("96.80"),
        "waiting_for": [], "difference": Decimal("-1.50"), "netsuite_deposit_id": None, "reason": "unbalanced",
        "attempts": 0, "last_error": "off by 1.50"}
