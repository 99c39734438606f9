"""Resuming one payout (the loop is ``sb_writeback.resumer``): a waiting or refused payout is
decided again on what is known now, then posted if that leaves it pending."""
from __future__ import annotations

from sb_writeback.work import UNFINISHED

from deposit_writer import writing
from deposit_writer.deciding import evaluate
from deposit_writer.deps import Deps


async def resume_payout(deps: Deps, tenant_id: str, payout_id: str) -> str:
    async with deps.store.transaction() as transaction:
        await transaction.lock_tenant(tenant_id)
        payout = await transaction.get_payout(tenant_id, payout_id, lock=True)
        if payout is not None and payout.state in UNFINISHED:
            await transaction.publish(await evaluate(transaction, payout, deps))
    return await writing.post_deposit(deps, tenant_id, payout_id)
