"""Transport edge pieces both write-back services share: decoding with the log context bound, and
the netsuite.setup.v1 subscriber."""
from __future__ import annotations

from contracts.registry import decode
from contracts.setup import AccountSetupSaved, ConnectionChanged
from sb_runtime.kafka import Inbound
from sb_runtime.logging import bind_unit_of_work, get_logger

from sb_writeback import handlers
from sb_writeback.deps import WriteBackDeps

log = get_logger(__name__)


def decode_bound(message: Inbound, deps: WriteBackDeps):
    """The message's contract event (raising makes it poison), with tenant and event bound to the log."""
    event = decode(deps.topics.contract(message.topic), message.value)
    bind_unit_of_work(tenant_id=event.tenant_id, event_id=event.event_id, event_type=event.event_type)
    return event


async def on_setup(message: Inbound, deps: WriteBackDeps) -> None:
    event = decode_bound(message, deps)
    if isinstance(event, (ConnectionChanged, AccountSetupSaved)):
        await handlers.setup_changed(event, deps)
    log.info("setup.updated", event_type=event.event_type)
