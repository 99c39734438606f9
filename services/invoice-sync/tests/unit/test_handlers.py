"""The batch handler on the in-memory store (no PostgreSQL, no Kafka): every branch, asserted on what
is stored and what lands in the outbox."""
import asyncpg
import pytest
from contracts import topics
from contracts.registry import decode

from invoice_sync.errors import Transient
from invoice_sync.ids import platform_invoice_id
from invoice_sync.subscribers import Received, on_changes
from invoice_sync.testing import (
    FakeDatabase, customer, customer_changed, deposit_changed, fake_deps, invoice_archived, invoice_changed,
    minimal_pdf, outcome, outcome_recorded, pdf_fetched, version,
)

T = "msp-acme"


@pytest.fixture
def db() -> FakeDatabase:
    return FakeDatabase()


async def apply(db: FakeDatabase, *events, partition: int | None = None) -> None:
    """One batch, records spread over two partitions (so over both lanes) unless ``partition`` is given."""
    received = [Received(e, e.to_bytes(), n % 2 if partition is None else partition) for n, e in enumerate(events)]
    await on_changes(received, fake_deps(db))


def published(db: FakeDatabase, event_type: str) -> list:
    events = [decode(m.topic, m.value) for m in db.outbox]
    return [e for e in events if e.event_type == event_type]


def invoices(db: FakeDatabase) -> list:
    return [e.data for e in published(db, "PlatformInvoiceUpdated")]


async def test_a_netsuite_invoice_becomes_version_1_of_a_platform_invoice(db):
    await apply(db, invoice_changed(T, version("901", lines=3)), invoice_changed(T, version("902")))
    assert sorted((i.netsuite_id, i.version, i.status, len(i.lines)) for i in invoices(db)) == [
        ("901", 1, "open", 3), ("902", 1, "open", 1)]
    assert {m.topic for m in db.outbox} == {topics.INVOICES}
    assert db.invoices[(T, "901")][:3] == (T, "901", platform_invoice_id(T, "901"))  # the row the read API serves


async def test_a_redelivered_event_changes_and_publishes_nothing(db):
    first, second = version("901", minute=1, remaining="200.00"), version("901", minute=1, remaining="150.00")
    await apply(db, invoice_changed(T, first), invoice_changed(T, first), invoice_changed(T, second), partition=0)
    await apply(db, invoice_changed(T, first))  # redelivered: must not replace the later version of that second
    assert [(i.version, i.amount_remaining) for i in invoices(db)] == [(1, 150)]


async def test_events_that_change_nothing_here_are_skipped_but_not_claimed(db):
    platform_origin = outcome_recorded(T, outcome(T, "901", "pay_001", "written", minute=1, origin="platform"))
    await apply(db, platform_origin)
    assert (db.outbox, db.payments, db.inbox) == ([], {}, set())


async def test_the_later_of_two_versions_in_one_second_wins_and_an_older_one_arriving_late_changes_nothing(db):
    first, second = version("901", minute=1, remaining="200.00"), version("901", minute=1, remaining="150.00")
    await apply(db, invoice_changed(T, first), invoice_changed(T, second), partition=0)
    await apply(db, invoice_changed(T, version("901", minute=0)))
    assert [(i.version, i.amount_remaining) for i in invoices(db)] == [(1, 150)]


async def test_r6_an_archived_invoice_stays_as_it_was_and_the_earliest_detection_counts(db):
    await apply(db, invoice_changed(T, version("901")))
    await apply(db, invoice_archived(T, "901", minute=5), invoice_archived(T, "901", minute=3, reason="voided"),
                partition=0)
    await apply(db, invoice_changed(T, version("901", minute=9, memo="after the deletion")))
    assert [(i.version, i.status, i.archived, i.memo) for i in invoices(db)] == [
        (1, "open", False, None), (2, "archived", True, None)]
    assert db.archives[(T, "901")].reason == "voided"


async def test_r5_the_newest_pdf_is_kept_and_shown_even_when_it_came_before_the_invoice(db):
    newer, older = minimal_pdf("v2"), minimal_pdf("v1")
    await apply(db, pdf_fetched(T, "901", newer, minute=2))
    assert db.outbox == [] and len(db.blobs) == 1  # nothing to show yet
    await apply(db, pdf_fetched(T, "901", older, minute=1), invoice_changed(T, version("901")), partition=0)
    assert [i.pdf_sha256 for i in invoices(db)] == [pdf_fetched(T, "901", newer, minute=2).data.sha256]


async def test_r11_r10_a_platform_payment_pays_the_invoice_and_its_failure_raises_a_revert(db):
    await apply(db, invoice_changed(T, version("901")))
    await apply(db, outcome_recorded(T, outcome(T, "901", "pay_001", "written", minute=1)))
    await apply(db, invoice_changed(T, version("901", minute=1.05, remaining="0.00")))  # NetSuite shows our write
    await apply(db, outcome_recorded(T, outcome(T, "901", "pay_001", "failed", minute=10)))
    assert [(i.status, i.paid_via_platform, [p.status for p in i.payments]) for i in invoices(db)] == [
        ("open", False, []), ("open", False, ["written"]), ("paid", True, ["written"]), ("open", False, ["failed"])]
    assert [e.data.payment_id for e in published(db, "ActionItemRaised")] == ["pay_001"]


async def test_an_outcome_before_the_invoice_is_kept_and_counted_when_the_invoice_arrives(db):
    await apply(db, outcome_recorded(T, outcome(T, "901", "pay_001", "waiting", minute=1, amount="100.00")))
    assert db.outbox == [] and db.payments[(T, "pay_001")].status == "waiting"
    await apply(db, invoice_changed(T, version("901", minute=0)))
    assert [(i.amount_remaining, i.status) for i in invoices(db)] == [(150, "partially_paid")]


async def test_r4_a_deposit_marks_the_payment_deposited_an_older_version_is_ignored_and_unlisting_undoes_it(db):
    await apply(db, invoice_changed(T, version("901")),
                outcome_recorded(T, outcome(T, "901", "pay_001", "written", minute=1, amount="100.00")), partition=0)
    await apply(db, deposit_changed(T, "d1", ["7001"], minute=5))
    await apply(db, deposit_changed(T, "d1", [], minute=4))  # older: ignored
    assert [[p.status for p in i.payments] for i in invoices(db)] == [["written"], ["deposited"]]
    await apply(db, deposit_changed(T, "d1", [], minute=6))
    assert [[p.status for p in i.payments] for i in invoices(db)][-1] == ["written"]
    assert db.deposits[(T, "d1")][1] == []


async def test_r2_r7_customers_publish_only_what_the_platform_sees_and_never_go_backwards(db):
    await apply(db, customer_changed(T, customer("55", minute=1)))
    await apply(db, customer_changed(T, customer("55", minute=2, inactive=True)))  # R7: not visible
    await apply(db, customer_changed(T, customer("55", minute=0, name="Old name")))  # older: ignored
    await apply(db, customer_changed(T, customer("55", minute=3, name="Acme Group")))
    assert [(c.data.name, c.data.version) for c in published(db, "PlatformCustomerUpdated")] == [
        ("Acme Ltd", 1), ("Acme Group", 2)]
    assert db.customers[(T, "55")].inactive is False  # the newest change (minute 3) says active


async def test_a_database_fault_is_transient_and_the_retry_applies_every_event_once(db):
    events = [invoice_changed(T, version("901")), invoice_changed(T, version("902"))]
    db.failures.append(asyncpg.DeadlockDetectedError("deadlock detected"))
    with pytest.raises(Transient):
        await apply(db, *events)  # one lane fails, the other may commit
    await apply(db, *events)
    assert sorted(i.netsuite_id for i in invoices(db)) == ["901", "902"]


async def test_a_failing_lane_leaves_nothing_of_its_own_behind(db):
    db.failures.append(OSError("connection reset"))
    with pytest.raises(Transient):
        await apply(db, invoice_changed(T, version("901")), partition=0)
    assert (db.outbox, db.inbox, db.versions) == ([], set(), {})
