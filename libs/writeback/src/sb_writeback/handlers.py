"""The use case both write-back services share: a tenant's setup changed (R18)."""
from __future__ import annotations

from contracts.setup import AccountSetupSaved, ConnectionChanged

from sb_writeback.deps import WriteBackDeps
from sb_writeback.store import WriteBackTransaction


async def setup_changed(event: ConnectionChanged | AccountSetupSaved, deps: WriteBackDeps) -> None:
    """Keep the tenant's setup; resolve the items it answers and wake the work waiting for it."""
    async with deps.store.transaction() as transaction:
        if await transaction.claim(deps.service, event.event_id):
            await _record(transaction, event, deps.service)
    deps.wakeup.set()


async def _record(transaction: WriteBackTransaction, event: ConnectionChanged | AccountSetupSaved,
                  service: str) -> None:
    if isinstance(event, ConnectionChanged):
        await transaction.save_connection(event)
    else:
        await transaction.save_accounts(event)
    await transaction.schedule_waiting(event.tenant_id)
    tenant = await transaction.load_setup(event.tenant_id, for_decision=False)
    await transaction.publish(await transaction.resolve_made_choices(tenant, service))
