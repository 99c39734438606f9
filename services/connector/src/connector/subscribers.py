"""Transport edge: decode each message into its contract event and hand it on.

Poison (undecodable or contract-violating) messages raise here and the shared edge
dead-letters them; handlers only ever see valid events.
"""
from __future__ import annotations

from contracts.registry import decode
from sb_runtime.kafka import Inbound
from sb_runtime.logging import bind_unit_of_work, get_logger

log = get_logger(__name__)


async def log_event(message: Inbound) -> None:
    """Placeholder use case until the service's rules land: validate and log."""
    event = decode(message.topic, message.value)
    bind_unit_of_work(tenant_id=event.tenant_id, event_id=event.event_id)
    log.info("event.received", topic=message.topic, event_type=event.event_type)
