"""The envelope every event shares, upstream and internal alike.

``extra="forbid"`` on the envelope (an unknown envelope field is a contract violation);
``data`` models of upstream events ignore unknown fields (forward compatibility).
"""
from __future__ import annotations

import hashlib
import uuid
from datetime import UTC, datetime
from typing import Annotated, Any, ClassVar

from pydantic import AwareDatetime, BaseModel, ConfigDict, StringConstraints

TenantId = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9._-]{1,64}$")]
EventId = Annotated[str, StringConstraints(pattern=r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")]

NAMESPACE = uuid.UUID("6f1c1e4e-2b0e-4a8e-9d57-5b1d2f0c7a11")


_NAMESPACE_BYTES = NAMESPACE.bytes


def deterministic_event_id(*parts: object) -> str:
    """Same inputs, same id: a replayed producer emits the same event ids (consumers dedupe).

    ``str(uuid.uuid5(NAMESPACE, name))`` without building a ``uuid.UUID`` (hot: one per event published).
    """
    return uuid5_text("\x1f".join(str(p) for p in parts))


def uuid5_text(name: str) -> str:
    """``str(uuid.uuid5(NAMESPACE, name))``, computed directly."""
    digest = bytearray(hashlib.sha1(_NAMESPACE_BYTES + name.encode(), usedforsecurity=False).digest()[:16])
    digest[6] = (digest[6] & 0x0F) | 0x50  # version 5
    digest[8] = (digest[8] & 0x3F) | 0x80  # RFC 4122 variant
    text = digest.hex()
    return f"{text[:8]}-{text[8:12]}-{text[12:16]}-{text[16:20]}-{text[20:]}"


def utc_now() -> datetime:
    return datetime.now(UTC)


class Data(BaseModel):
    """Payload of an internal event: strict both ways."""

    model_config = ConfigDict(frozen=True, extra="forbid")


class UpstreamData(BaseModel):
    """Payload of an upstream platform event: unknown fields are tolerated and dropped.

    Strict: no silent coercion (a number is not a date, an int is not a string).
    """

    model_config = ConfigDict(frozen=True, extra="ignore", strict=True)


class UpstreamEvent(BaseModel):
    """Mixin config for upstream events: strict envelope, unknown envelope fields rejected."""

    model_config = ConfigDict(frozen=True, extra="forbid", strict=True)


class Event(BaseModel):
    """Base of every event. Subclasses pin ``event_type``, ``schema_version`` and ``data``."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    TOPIC: ClassVar[str] = ""

    event_id: EventId
    event_type: str
    schema_version: int
    tenant_id: TenantId
    occurred_at: AwareDatetime
    data: Any

    def kafka_key(self) -> bytes:
        """Kafka key; subclasses keep per-record order with ``<tenant>:<record id>``."""
        return self.tenant_id.encode()

    def to_bytes(self) -> bytes:
        return self.model_dump_json().encode()


def envelope_fields(event_type: str, tenant_id: str, *id_parts: object, occurred_at: datetime | None = None) -> dict[str, Any]:
    """Common constructor arguments with a deterministic event id."""
    return {
        "event_id": deterministic_event_id(event_type, tenant_id, *id_parts),
        "event_type": event_type,
        "schema_version": 1,
        "tenant_id": tenant_id,
        "occurred_at": occurred_at or utc_now(),
    }


def record_key(tenant_id: str, record_id: str) -> bytes:
    return f"{tenant_id}:{record_id}".encode()

