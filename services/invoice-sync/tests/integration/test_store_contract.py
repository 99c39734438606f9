"""One contract for the write side's store, run against the fake (``testing.FakeTransactions``) and
PostgreSQL (``store.PgTransactions`` on the migrated schema), so the fake the handler unit tests use
cannot drift from the SQL."""
import json
from decimal import Decimal

import pytest
import pytest_asyncio
from sb_runtime.outbox import OutboundMessage
from sb_runtime.testing import migrated_pool

from invoice_sync.app import MIGRATIONS
from invoice_sync.customers import Customer
from invoice_sync.ids import platform_invoice_id
from invoice_sync.invoices import Archive
from invoice_sync.payments import Payment
from invoice_sync.projection import InvoiceInputs, InvoiceRow, project
from invoice_sync.store import PgTransactions
from invoice_sync.testing import FakeTransactions, at, invoice_changed, version

T = "t1"
INVOICE_ID = platform_invoice_id(T, "901")


@pytest.fixture(params=["fake", "postgres"])
def database(request) -> str | None:
    """None for the fake; the session's database for PostgreSQL."""
    return request.getfixturevalue("database_url") if request.param == "postgres" else None


@pytest_asyncio.fixture
async def store(database, unique):
    if database is None:
        yield FakeTransactions()
        return
    async with migrated_pool(database, f"invoice_sync_contract_{unique}", MIGRATIONS) as pool:
        yield PgTransactions(pool)


def payment(payment_id: str = "pay-1", netsuite_payment_id: str | None = "7001", minute: float = 1) -> Payment:
    return Payment(payment_id, INVOICE_ID, Decimal("100.00"), Decimal("100.00"), "written", netsuite_payment_id,
                   at(minute), at(minute), None, at(minute))


async def test_an_event_is_claimed_once_and_a_failed_transaction_leaves_nothing_behind(store):
    async with store.transaction() as transaction:
        assert await transaction.claim("invoice-sync", ["e1", "e2", "e1"]) == {"e1", "e2"}
    with pytest.raises(RuntimeError):
        async with store.transaction() as transaction:
            assert await transaction.claim("invoice-sync", ["e2", "e3"]) == {"e3"}
            await transaction.save_payments([(T, payment())])
            raise RuntimeError("crash")
    async with store.transaction() as transaction:
        await transaction.lock(["invoice:t1:a", "payments:t1", "invoice:t1:a"])
        assert await transaction.claim("invoice-sync", ["e3"]) == {"e3"}
        assert await transaction.payments([(T, "pay-1")]) == {}
        await transaction.add_to_outbox([OutboundMessage("topic", b"{}", b"k", {"h": "v"})])


async def test_versions_come_back_oldest_first_and_the_newest_with_what_is_stored(store):
    first, second = invoice_changed(T, version(minute=0)), invoice_changed(T, version(minute=5, remaining="10.00"))
    replaced = invoice_changed(T, version(minute=5, remaining="20.00"))
    async with store.transaction() as transaction:
        await transaction.save_versions([(second, second.to_bytes()), (first, first.to_bytes())])
        await transaction.save_versions([(replaced, replaced.to_bytes())])  # same last_modified: replaces
        history = await transaction.versions([(T, "901"), (T, "902")])
        assert list(history) == [(T, "901")]
        assert [v.amount_remaining for v in history[(T, "901")]] == [Decimal("250.00"), Decimal("20.00")]
        known = {((T, "901"), at(5)): second.data}  # what the batch just stored is not parsed again
        inputs = await transaction.invoice_inputs([(T, "901", INVOICE_ID), (T, "902", platform_invoice_id(T, "902"))],
                                                  known)
    assert inputs[(T, "901")].latest is second.data
    assert inputs[(T, "901")].row is None and inputs[(T, "901")].archive is None and inputs[(T, "901")].pdf is None
    assert not inputs[(T, "901")].paid_on_platform
    assert inputs[(T, "902")].latest is None


async def test_the_earliest_archive_and_the_newest_pdf_win(store):
    async with store.transaction() as transaction:
        await transaction.save_archives([((T, "901"), Archive("voided", at(10)))])
        await transaction.save_archives([((T, "901"), Archive("deleted", at(5)))])
        await transaction.save_archives([((T, "901"), Archive("voided", at(20)))])
        await transaction.save_pdfs({"aa": b"%PDF-1", "bb": b"%PDF-2"}, [((T, "901"), "bb", "INV901.pdf", at(3))])
        await transaction.save_pdfs({"aa": b"%PDF-1"}, [((T, "901"), "aa", "INV901.pdf", at(2))])
        stored = (await transaction.invoice_inputs([(T, "901", INVOICE_ID)]))[(T, "901")]
    assert stored.archive == Archive("deleted", at(5))
    assert (stored.pdf.sha256, stored.pdf.invoice_last_modified) == ("bb", at(3))


async def test_payments_are_found_by_id_invoice_and_netsuite_payment_and_replaced_whole(store):
    other = payment("pay-2", None, minute=2)
    async with store.transaction() as transaction:
        await transaction.save_payments([(T, payment()), (T, other), ("t2", payment())])
        await transaction.save_payments([(T, payment(minute=3))])
        assert await transaction.payments([(T, "pay-1"), (T, "pay-9")]) == {(T, "pay-1"): payment(minute=3)}
        on = await transaction.payments_on([(T, INVOICE_ID)])
        assert sorted(p.payment_id for p in on[(T, INVOICE_ID)]) == ["pay-1", "pay-2"]
        assert await transaction.invoices_paid_by([(T, "7001"), (T, "7999")]) == {(T, INVOICE_ID)}
        stored = await transaction.invoice_inputs([(T, "901", INVOICE_ID), (T, "902", platform_invoice_id(T, "902"))])
    assert stored[(T, "901")].paid_on_platform and not stored[(T, "902")].paid_on_platform


async def test_a_deposit_is_replaced_whole_and_a_payment_counts_as_deposited_from_its_earliest_deposit(store):
    async with store.transaction() as transaction:
        await transaction.save_deposits([((T, "d1"), at(10), ["7001", "7002"]), ((T, "d2"), at(4), ["7002"]),
                                         (("t2", "d1"), at(1), ["7003"])])
        await transaction.save_deposits([((T, "d1"), at(12), ["7001"])])
        assert await transaction.deposits([(T, "d1"), (T, "d9")]) == {(T, "d1"): (at(12), ["7001"])}
        assert await transaction.deposited([(T, "7001"), (T, "7002"), (T, "7003")]) == {
            (T, "7001"): at(12), (T, "7002"): at(4)}


async def test_a_platform_invoice_is_stored_found_by_its_platform_id_and_read_back_as_its_row(store):
    projection = project(InvoiceInputs(T, "901", [version()], invoice_id=INVOICE_ID), None)
    values = projection.record.values
    async with store.transaction() as transaction:
        await transaction.save_invoices([projection.record])
        assert await transaction.invoice_keys([(T, INVOICE_ID), (T, "nope")]) == {(T, INVOICE_ID): (T, "901")}
        stored = (await transaction.invoice_inputs([(T, "901", INVOICE_ID)]))[(T, "901")]
    assert stored.row == InvoiceRow(values[20], values[21], json.loads(values[19]), values[22])


async def test_customers_are_upserted(store):
    acme = Customer(T, "55", "c-55", "Acme", "ap@acme.example", "USD", "1", False, at(1), 1, at(1))
    async with store.transaction() as transaction:
        await transaction.save_customers([acme])
        await transaction.save_customers([Customer(**{**vars(acme), "name": "Acme Ltd", "version": 2})])
        assert await transaction.customers([(T, "55"), (T, "56")]) == {
            (T, "55"): Customer(**{**vars(acme), "name": "Acme Ltd", "version": 2})}
