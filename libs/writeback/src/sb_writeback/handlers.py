"""The use case both write-back services share: a tenant's setup changed (R18)."""
from __future__ import annotations

from contracts.setup import AccountSetupSaved, ConnectionChanged
from sb_runtime.inbox import process_once

from sb_writeback import setup
from sb_writeback.deps import WriteBackDeps


async def setup_changed(event: ConnectionChanged | AccountSetupSaved, deps: WriteBackDeps) -> None:
    """Keep the tenant's setup; resolve the items it answers and wake the work waiting for it."""

    async def effect(connection):
        if isinstance(event, ConnectionChanged):
            await setup.save_connection(connection, event)
        else:
            await setup.save_accounts(connection, event)
        await deps.work.schedule_waiting(connection, event.tenant_id)
        tenant = await setup.load(connection, event.tenant_id, for_decision=False)
        resolved = await setup.resolve_made_choices(connection, tenant, deps.service)
        return [deps.topics.outbound(e) for e in resolved]

    await process_once(deps.pool, deps.service, event.event_id, effect)
    deps.wakeup.set()
