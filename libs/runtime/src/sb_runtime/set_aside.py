"""Outbox rows the broker can never take: moved out of the way, raised as an action item, counted.

The action item is the ``ActionItemRaised`` contract (decision 0005) on ``suitebridge.action-items.v1``.
The runtime imports no other suitebridge library, so it writes that event's JSON itself;
``libs/runtime/tests/test_outbox_bound.py`` decodes it with ``contracts`` so the two cannot drift.
"""
from __future__ import annotations

import hashlib
import json
import uuid
from datetime import UTC, datetime
from typing import Any, NamedTuple

import asyncpg

ACTION_ITEMS_TOPIC = "suitebridge.action-items.v1"
KIND = "event_not_published"
NAMESPACE = uuid.UUID("3d0f8a52-7c1e-4b4a-9a35-0e6f2b7d9c41")
RECORD_IDS = ("invoice_id", "payment_id", "payout_id", "netsuite_id")

MOVE = """
WITH moved AS (DELETE FROM outbox WHERE id = $1 RETURNING id, topic, key, value, headers, created_at)
INSERT INTO outbox_set_aside (id, topic, key, value, headers, created_at, reason)
SELECT id, topic, key, value, headers, created_at, $2 FROM moved
"""
INSERT = "INSERT INTO outbox (topic, key, value, headers) VALUES ($1, $2, $3, $4::jsonb)"
COUNT = "SELECT count(*) FROM outbox_set_aside"


class Message(NamedTuple):
    topic: str
    value: bytes
    key: bytes
    headers: dict[str, str]


def record_size(row: Any) -> int:
    """Bytes of a Kafka record's key, value and headers (the broker adds a few dozen of its own)."""
    headers = sum(len(k.encode()) + len(v.encode()) for k, v in row["headers"].items())
    return len(row["value"]) + len(row["key"] or b"") + headers


async def set_aside(connection: asyncpg.Connection, row: Any, reason: str, source: str,
                    now: datetime | None = None) -> bool:
    """Move ``row`` to ``outbox_set_aside``; queue an action item if it names a tenant. True if moved."""
    moved = await connection.execute(MOVE, row["id"], reason)
    item = action_item(row, reason, source, now or datetime.now(UTC))
    if item is not None:
        await connection.execute(INSERT, item.topic, item.key, item.value, item.headers)
    return moved.endswith(" 1")


def action_item(row: Any, reason: str, source: str, now: datetime) -> Message | None:
    """``ActionItemRaised`` for the tenant the set-aside event belongs to (None when it names none)."""
    event = _json(row["value"])
    tenant_id = event.get("tenant_id")
    if not isinstance(tenant_id, str):
        return None
    data = event.get("data") if isinstance(event.get("data"), dict) else {}
    original = event.get("event_id") or hashlib.sha256(row["value"]).hexdigest()
    item_id = f"event-not-published:{original}"
    event_type = str(event.get("event_type") or "An")
    item = {
        "item_id": item_id, "kind": KIND, "source": source, "at": now.isoformat(),
        "message": (f"{event_type} event for {row['topic']} could not be published and was set aside "
                    f"({reason}); what it carries has not reached the other services. Support can help."),
        **{name: data[name] for name in RECORD_IDS if isinstance(data.get(name), str)},
    }
    envelope = {"event_id": str(uuid.uuid5(NAMESPACE, f"ActionItemRaised\x1f{tenant_id}\x1f{item_id}")),
                "event_type": "ActionItemRaised", "schema_version": 1, "tenant_id": tenant_id,
                "occurred_at": now.isoformat(), "data": item}
    return Message(ACTION_ITEMS_TOPIC, json.dumps(envelope).encode(), f"{tenant_id}:{item_id}".encode(),
                   {"event_type": "ActionItemRaised", "event_id": envelope["event_id"]})


def _json(value: bytes) -> dict:
    try:
        document = json.loads(value)
    except (ValueError, UnicodeDecodeError):
        return {}
    return document if isinstance(document, dict) else {}
