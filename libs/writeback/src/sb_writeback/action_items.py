"""Action items raised once and resolved once (decision 0005), tracked in the service's own table.

Each service's migration creates ``action_items (tenant_id, item_id, open, generation, data jsonb)``
with the primary key ``(tenant_id, item_id)``. Raising an open item
again or resolving a closed one emits nothing; re-raising a resolved item starts a new
generation, which is part of the deterministic event id so consumers do not drop it as a replay.
"""
from __future__ import annotations

from datetime import UTC, datetime

import asyncpg

from contracts.action_items import ActionItemData, ActionItemRaised, ActionItemResolved
from contracts.envelope import envelope_fields


RAISE = """
INSERT INTO action_items (tenant_id, item_id, open, generation, data) VALUES ($1, $2, true, 1, $3::jsonb)
ON CONFLICT (tenant_id, item_id) DO UPDATE SET open = true, generation = action_items.generation + 1,
    data = EXCLUDED.data
WHERE NOT action_items.open
RETURNING generation
"""
RESOLVE = """
UPDATE action_items SET open = false WHERE tenant_id = $1 AND item_id = $2 AND open
RETURNING generation, data
"""
OPEN_OF_KIND = "SELECT item_id FROM action_items WHERE tenant_id = $1 AND open AND data->>'kind' = $2"


async def raise_once(connection: asyncpg.Connection, tenant_id: str, item: ActionItemData) -> list[ActionItemRaised]:
    generation = await connection.fetchval(RAISE, tenant_id, item.item_id, item.model_dump(mode="json"))
    return [] if generation is None else [raised(tenant_id, item, generation)]


async def resolve_once(connection: asyncpg.Connection, tenant_id: str, item_id_: str,
                       at: datetime | None = None) -> list[ActionItemResolved]:
    row = await connection.fetchrow(RESOLVE, tenant_id, item_id_)
    return [] if row is None else [resolved(tenant_id, item_id_, row["generation"], row["data"], at)]


def raised(tenant_id: str, item: ActionItemData, generation: int) -> ActionItemRaised:
    """The event of one raise; the generation is part of its id (a re-raise is not a replay)."""
    return ActionItemRaised(**envelope_fields("ActionItemRaised", tenant_id, item.item_id, generation,
                                              occurred_at=item.at), data=item)


def resolved(tenant_id: str, item_id_: str, generation: int, data: dict, at: datetime | None) -> ActionItemResolved:
    at = at or datetime.now(UTC)
    return ActionItemResolved(**envelope_fields("ActionItemResolved", tenant_id, item_id_, generation,
                                                occurred_at=at),
                              data=ActionItemData.model_validate({**data, "at": at}))


async def resolve_kind(connection: asyncpg.Connection, tenant_id: str, kind: str,
                       keep: set[str] = frozenset()) -> list[ActionItemResolved]:
    """Resolve every open item of ``kind`` for the tenant except those in ``keep``."""
    resolved: list[ActionItemResolved] = []
    for row in await connection.fetch(OPEN_OF_KIND, tenant_id, kind):
        if row["item_id"] not in keep:
            resolved += await resolve_once(connection, tenant_id, row["item_id"])
    return resolved
