"""The service's table wires its five topics to the batch handler, on faststream's in-memory broker
(with the PostgreSQL store: the outbox rows are the outcome; handler branches are unit-tested on
``testing.FakeStore``)."""
from contracts import topics
from sb_runtime.testing import migrated_pool, wired

from invoice_sync.app import MIGRATIONS, create_app
from invoice_sync.deps import pg_deps
from invoice_sync.settings import Settings
from invoice_sync.testing import invoice_changed, version


async def test_a_netsuite_invoice_becomes_a_platform_invoice_in_the_outbox_and_poison_is_dead_lettered(
        database_url, unique):
    app = create_app(Settings(log_level="warning"))
    async with migrated_pool(database_url, f"invoice_sync_wiring_{unique}", MIGRATIONS) as pool:
        async with wired(app.state.shell, pg_deps(pool)) as (broker, dead_letters):
            await broker.publish(invoice_changed("t1", version("901")).to_bytes(), topic=topics.NETSUITE_INVOICES)
            await broker.publish(b'{"event_type": "CustomerChanged"}', topic=topics.NETSUITE_CUSTOMERS)
        assert await pool.fetchval("SELECT count(*) FROM outbox WHERE topic = $1", topics.INVOICES) == 1
    assert [sent[0] for sent in dead_letters.sent] == [topics.NETSUITE_CUSTOMERS + ".dlq"]
