"""Posting one pending payout's bank deposit to NetSuite, exactly once.

The payout is pending (committed) before the call; the deposit is built from committed state and
created with ``create_once`` and the payout's deterministic externalId; the state change and its
outcome commit together afterwards. A crash or retry runs this again and finds the deposit an
earlier attempt made. NetSuite or connector trouble raises ``NotWrittenYet`` (``sb_writeback.writing``): not acked.
"""
from __future__ import annotations

from netsuite_client import AuthenticationError, PermanentNetSuiteError
from sb_runtime.logging import get_logger
from sb_writeback.access import NotConnected
from sb_writeback.clients import create_once
from sb_writeback.work import WorkState
from sb_writeback.writing import CONNECTION_RECHECK_S, PendingWriter, SetAside, not_connected_reason

from contracts.ids import netsuite_external_id

from deposit_writer import balancing
from deposit_writer.deciding import evaluate
from deposit_writer.balancing import Payout, Post
from deposit_writer.deps import Deps
from deposit_writer.outcomes import WAITING, item_id, outcome, rejected_item

log = get_logger(__name__)


async def _post(deps: Deps, payout: Payout) -> str:
    async with deps.store.transaction() as transaction:
        known = await transaction.known_payments(payout.tenant_id, payout.payment_ids)
        tenant = await transaction.load_setup(payout.tenant_id, for_decision=False)
    decision = balancing.plan(payout, known, tenant)
    if not isinstance(decision, Post):
        return await _decide_again(deps, payout)
    try:
        client, _ = await deps.clients.for_tenant(payout.tenant_id)
    except NotConnected as error:
        return await _set_aside(deps, payout, WorkState.WAITING, not_connected_reason(error),
                                retry_after_s=CONNECTION_RECHECK_S)
    external_id = netsuite_external_id("payout", payout.tenant_id, payout.payout_id)
    try:
        deposit_id = await create_once(client, "deposit", external_id, balancing.deposit_body(payout, decision, tenant))
    except AuthenticationError:
        raise
    except PermanentNetSuiteError as refused:
        return await _set_aside(deps, payout, WorkState.ACTION_NEEDED, refused.detail, error=str(refused))
    return await _finish(deps, payout, deposit_id, decision)


async def _decide_again(deps: Deps, payout: Payout) -> str:
    """What the payout was decided on has changed (e.g. a payment failed): decide it anew."""
    async with deps.store.transaction() as transaction:
        await transaction.lock_tenant(payout.tenant_id)
        current = await transaction.get_payout(payout.tenant_id, payout.payout_id, lock=True)
        await transaction.publish(await evaluate(transaction, current, deps))
        return (await transaction.get_payout(payout.tenant_id, payout.payout_id)).state


async def _finish(deps: Deps, payout: Payout, deposit_id: str, post: Post) -> str:
    at = deps.clock()
    async with deps.store.transaction() as transaction:
        if not await transaction.transition(payout, WorkState.DEPOSITED, netsuite_deposit_id=deposit_id):
            return (await transaction.get_payout(payout.tenant_id, payout.payout_id)).state
        events = [outcome(payout, WorkState.DEPOSITED, at, netsuite_deposit_id=deposit_id)]
        events += await transaction.resolve_item(payout.tenant_id, item_id(WAITING, payout.payout_id), at)
        await transaction.publish(events)
    log.info("payout.deposited", payout_id=payout.payout_id, netsuite_id=deposit_id, total=str(post.total),
             payments=len(post.payments))
    return WorkState.DEPOSITED


def _load(transaction, tenant_id: str, payout_id: str):
    return transaction.get_payout(tenant_id, payout_id)


async def _move(transaction, payout: Payout, state: str, reason: str, error: str | None,
                retry_after_s: float | None) -> Payout | None:
    moved = await transaction.transition(payout, state, reason=reason, error=error, retry_after_s=retry_after_s)
    return payout if moved else None


def _announce(payout: Payout, state: str, at, reason: str) -> list:
    return [outcome(payout, state, at, message=reason)]


# post_deposit(deps, tenant_id, payout_id): post the payout's deposit if it is pending; returns its state afterwards.
post_deposit = PendingWriter(_load, _post)
_set_aside = SetAside(_load, _move, _announce, rejected_item)
