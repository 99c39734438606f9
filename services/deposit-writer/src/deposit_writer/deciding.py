"""Deciding a payout from what is known now, and recording the decision (no NetSuite call here)."""
from __future__ import annotations

from sb_writeback import setup
from sb_writeback.action_items import raise_once, resolve_once

from deposit_writer import balancing, store
from deposit_writer.balancing import Imbalance, NothingToPost, Payout, Post, Wait
from deposit_writer.deps import Deps
from deposit_writer.outcomes import SOURCE, WAITING, item_id, outcome, unbalanced_item, waiting_item


async def evaluate(connection, payout: Payout, deps: Deps) -> list:
    """Decide a payout from what is known now; the caller holds the tenant lock and the payout row."""
    known = await store.known_payments(connection, payout.tenant_id, payout.payment_ids)
    decision = balancing.plan(payout, known, await setup.load(connection, payout.tenant_id))
    at = deps.clock()
    if isinstance(decision, Post):
        if payout.state != "pending":
            await store.transition(connection, payout, "pending")
        return []
    if isinstance(decision, Wait):
        return await _wait(connection, payout, decision, deps)
    waiting_resolved = await resolve_once(connection, payout.tenant_id, item_id(WAITING, payout.payout_id), at)
    if isinstance(decision, NothingToPost):
        message = "All its payments are already in NetSuite as stand-alone deposits; nothing left to post."
        await store.transition(connection, payout, "deposited", reason=message)
        return [outcome(payout, "deposited", at, message=message), *waiting_resolved]
    return await _unbalanced(connection, payout, decision, at) + waiting_resolved


async def _wait(connection, payout: Payout, wait: Wait, deps: Deps) -> list:
    at = deps.clock()
    if wait.missing_payments:
        reason = f"Waiting for {len(wait.missing_payments)} payments to be recorded in NetSuite."
    else:
        reason = f"Waiting for the account setup ({', '.join(wait.missing_choices)})."
    await store.transition(connection, payout, "waiting", waiting_for=wait.missing_payments, reason=reason)
    events = [outcome(payout, "waiting", at, message=reason, missing=wait.missing_payments)]
    if wait.missing_payments:
        events += await raise_once(connection, payout.tenant_id, waiting_item(payout, wait.missing_payments, at))
    else:  # its payments have all landed; now only the setup is missing
        events += await resolve_once(connection, payout.tenant_id, item_id(WAITING, payout.payout_id), at)
    for choice in wait.missing_choices:
        events += await raise_once(connection, payout.tenant_id, setup.setup_missing_item(SOURCE, choice, at))
    return events


async def _unbalanced(connection, payout: Payout, imbalance: Imbalance, at) -> list:
    await store.transition(connection, payout, "action_needed", difference=imbalance.difference,
                           reason=imbalance.reason)
    item = unbalanced_item(payout, imbalance.difference, imbalance.reason, at)
    return [outcome(payout, "action_needed", at, message=item.message, difference=imbalance.difference),
            *await raise_once(connection, payout.tenant_id, item)]
