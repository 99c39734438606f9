"""Deciding a payout from what is known now, and recording the decision (no NetSuite call here)."""
from __future__ import annotations

from sb_writeback import setup
from sb_writeback.work import WorkState

from deposit_writer import balancing
from deposit_writer.balancing import Imbalance, NothingToPost, Payout, Post, Wait
from deposit_writer.deps import Deps
from deposit_writer.store import PayoutTransaction
from deposit_writer.outcomes import (
    SOURCE, WAITING, WRONG_CURRENCY, currency_item, item_id, outcome, unbalanced_item, waiting_item,
)


async def evaluate(transaction: PayoutTransaction, payout: Payout, deps: Deps) -> list:
    """Decide a payout from what is known now; the caller holds the tenant lock and the payout row."""
    known = await transaction.known_payments(payout.tenant_id, payout.payment_ids)
    decision = balancing.plan(payout, known, await transaction.load_setup(payout.tenant_id))
    at = deps.clock()
    if isinstance(decision, Wait):
        return await _wait(transaction, payout, decision, deps)
    currency_resolved = await transaction.resolve_item(payout.tenant_id, item_id(WRONG_CURRENCY, payout.payout_id), at)
    if isinstance(decision, Post):
        if payout.state != WorkState.PENDING:
            await transaction.transition(payout, WorkState.PENDING)
        return currency_resolved
    waiting_resolved = await transaction.resolve_item(payout.tenant_id, item_id(WAITING, payout.payout_id), at)
    if isinstance(decision, NothingToPost):
        message = "All its payments are already in NetSuite as stand-alone deposits; nothing left to post."
        await transaction.transition(payout, WorkState.DEPOSITED, reason=message)
        return [outcome(payout, WorkState.DEPOSITED, at, message=message), *waiting_resolved]
    return await _unbalanced(transaction, payout, decision, at) + waiting_resolved + currency_resolved


async def _wait(transaction: PayoutTransaction, payout: Payout, wait: Wait, deps: Deps) -> list:
    at = deps.clock()
    if wait.bank_currency:
        return await _wrong_currency(transaction, payout, wait.bank_currency, at)
    if wait.missing_payments:
        reason = f"Waiting for {len(wait.missing_payments)} payments to be recorded in NetSuite."
    else:
        reason = f"Waiting for the account setup ({', '.join(wait.missing_choices)})."
    await transaction.transition(payout, WorkState.WAITING, waiting_for=wait.missing_payments, reason=reason)
    events = [outcome(payout, WorkState.WAITING, at, message=reason, missing=wait.missing_payments)]
    if wait.missing_payments:
        events += await transaction.raise_item(payout.tenant_id, waiting_item(payout, wait.missing_payments, at))
    else:  # its payments have all landed; now only the setup is missing
        events += await transaction.resolve_item(payout.tenant_id, item_id(WAITING, payout.payout_id), at)
    for choice in wait.missing_choices:
        events += await transaction.raise_item(payout.tenant_id, setup.setup_missing_item(SOURCE, choice, at))
    return events


async def _unbalanced(transaction: PayoutTransaction, payout: Payout, imbalance: Imbalance, at) -> list:
    await transaction.transition(payout, WorkState.ACTION_NEEDED, difference=imbalance.difference,
                           reason=imbalance.reason)
    item = unbalanced_item(payout, imbalance.difference, imbalance.reason, at)
    return [outcome(payout, WorkState.ACTION_NEEDED, at, message=item.message, difference=imbalance.difference),
            *await transaction.raise_item(payout.tenant_id, item)]


async def _wrong_currency(transaction: PayoutTransaction, payout: Payout, bank_currency: str, at) -> list:
    """Not a NetSuite write: the partner picks a bank account in the payout's currency, then it proceeds."""
    item = currency_item(payout, bank_currency, at)
    await transaction.transition(payout, WorkState.WAITING, reason=item.message)
    return [outcome(payout, WorkState.WAITING, at, message=item.message),
            *await transaction.resolve_item(payout.tenant_id, item_id(WAITING, payout.payout_id), at),
            *await transaction.raise_item(payout.tenant_id, item)]
