"""The service's table wires action items to their handler, on faststream's in-memory broker (the
handler's store is PostgreSQL)."""
from datetime import UTC, datetime

from contracts import topics
from contracts.action_items import ActionItemData
from sb_runtime.testing import migrated_pool, wired
from sb_writeback.action_items import raised

from connector.app import MIGRATIONS, create_app
from connector.deps import assemble
from connector.settings import Settings

ITEM = ActionItemData(item_id="payment-reconciler:overpayment:pay-1", kind="overpayment", message="refund",
                      source="payment-reconciler", at=datetime(2026, 11, 27, tzinfo=UTC))


async def test_an_action_item_is_kept_and_poison_is_dead_lettered(database_url, unique):
    schema = f"connector_wiring_{unique}"
    settings = Settings(log_level="warning", database_schema=schema)
    app = create_app(settings, configure_logs=False)
    shell = app.state.shell
    async with migrated_pool(database_url, schema, MIGRATIONS) as shell.pool:
        deps = assemble(settings, shell.pool, budgets=None)
        async with wired(shell, deps) as (broker, dead_letters):
            await broker.publish(raised("t1", ITEM, 1).to_bytes(), topic=topics.ACTION_ITEMS)
            await broker.publish(b"[]", topic=topics.ACTION_ITEMS)
        await deps.http.aclose()
        assert await shell.pool.fetchval("SELECT count(*) FROM action_item WHERE item_id = $1", ITEM.item_id) == 1
    assert [sent[0] for sent in dead_letters.sent] == [topics.ACTION_ITEMS + ".dlq"]
