"""Transport edge: action items from every service into the connector's table (decision 0005).

Poison (undecodable or contract-violating) messages raise here and the shared edge
dead-letters them; the effect and the inbox row commit together (exactly-once effect).
"""
from __future__ import annotations

from contracts.action_items import ActionItemResolved
from contracts.registry import decode
from sb_runtime import inbox
from sb_runtime.kafka import Inbound
from sb_runtime.logging import bind_unit_of_work, get_logger

from connector import store
from connector.deps import Deps

log = get_logger(__name__)
CONSUMER = "connector.action-items"


async def on_action_item(message: Inbound, deps: Deps) -> None:
    event = decode(message.topic, message.value)
    bind_unit_of_work(tenant_id=event.tenant_id, event_id=event.event_id)
    data = event.data
    item = store.ActionItem(data.item_id, data.kind, data.message, data.source, data.at,
                            invoice_id=data.invoice_id, payment_id=data.payment_id, payout_id=data.payout_id,
                            netsuite_id=data.netsuite_id)
    resolved = isinstance(event, ActionItemResolved)

    async def effect(connection):
        await store.ensure_tenant(connection, event.tenant_id)
        await store.upsert_item(connection, event.tenant_id, item, resolved)

    if await inbox.process_once(deps.pool, CONSUMER, event.event_id, effect):
        log.info("action_item.applied", kind=data.kind, item_id=data.item_id, resolved=resolved)
