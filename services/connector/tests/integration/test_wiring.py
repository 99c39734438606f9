"""The service's table wires action items to their handler, on faststream's in-memory broker (the
handler's store is PostgreSQL)."""
from datetime import UTC, datetime

import asyncpg
from contracts import topics
from contracts.action_items import ActionItemData
from sb_runtime.db import create_pool
from sb_runtime.migrate import apply_migrations
from sb_runtime.testing import wired
from sb_writeback.action_items import raised

from connector.app import MIGRATIONS, create_app
from connector.settings import Settings


async def test_an_action_item_is_kept_and_poison_is_dead_lettered(database_url, unique):
    schema = f"connector_wiring_{unique}"
    connection = await asyncpg.connect(database_url)
    try:
        await apply_migrations(connection, schema, MIGRATIONS)
    finally:
        await connection.close()
    app = create_app(Settings(log_level="warning", database_schema=schema), configure_logs=False)
    shell = app.state.shell
    shell.pool = await create_pool(database_url, schema)
    item = ActionItemData(item_id="payment-reconciler:overpayment:pay-1", kind="overpayment", message="refund",
                          source="payment-reconciler", at=datetime(2026, 11, 27, tzinfo=UTC))
    try:
        async with wired(shell, app.state.deps) as (broker, dead_letters):
            await broker.publish(raised("t1", item, 1).to_bytes(), topic=topics.ACTION_ITEMS)
            await broker.publish(b"[]", topic=topics.ACTION_ITEMS)
        assert await shell.pool.fetchval("SELECT count(*) FROM action_item WHERE item_id = $1", item.item_id) == 1
    finally:
        await shell.pool.close()
    assert [sent[0] for sent in dead_letters.sent] == [topics.ACTION_ITEMS + ".dlq"]
