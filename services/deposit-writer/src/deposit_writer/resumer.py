"""Resuming one payout (the loop is ``sb_writeback.resumer``): a waiting or refused payout is
decided again on what is known now, then posted if that leaves it pending."""
from __future__ import annotations

from sb_writeback.work import UNFINISHED
from sb_writeback.writing import publish

from deposit_writer import store, writing
from deposit_writer.deciding import evaluate
from deposit_writer.deps import Deps


async def resume_payout(deps: Deps, tenant_id: str, payout_id: str) -> str:
    async with deps.pool.acquire() as connection, connection.transaction():
        await store.lock_tenant(connection, tenant_id)
        payout = await store.get_payout(connection, tenant_id, payout_id, lock=True)
        if payout is not None and payout.state in UNFINISHED:
            await publish(connection, deps, await evaluate(connection, payout, deps))
    return await writing.post_deposit(deps, tenant_id, payout_id)
