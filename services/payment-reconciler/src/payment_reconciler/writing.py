"""The NetSuite write of one pending payment, exactly once.

The row is pending (committed) before any call; the amount a customer payment applies is
committed before the call that sends it; every create goes through ``create_once`` with the
payment's deterministic externalId; the state change and its outcome commit together afterwards.
A crash or retry anywhere runs this again, and it finds what an earlier attempt wrote instead of
writing it twice. NetSuite or connector trouble raises ``NotWrittenYet`` (``sb_writeback.writing``): not acked.
"""
from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

from netsuite_client import AuthenticationError, NetSuiteClient, NotFoundError, PermanentNetSuiteError
from sb_runtime.logging import get_logger
from sb_writeback.access import NotConnected
from sb_writeback.clients import create_once
from sb_writeback.work import WorkState
from sb_writeback.writing import CONNECTION_RECHECK_S, PendingWriter, SetAside, not_connected_reason

from payment_reconciler import reconciling
from payment_reconciler.deps import Deps
from payment_reconciler.outcomes import outcome, overpayment_item, write_rejected_item
from payment_reconciler.reconciling import Origin, Payment

log = get_logger(__name__)


async def _write(deps: Deps, payment: Payment) -> str:
    try:
        client, access = await deps.clients.for_tenant(payment.tenant_id)
    except NotConnected as error:
        return await _set_aside(deps, payment, WorkState.WAITING, not_connected_reason(error),
                                retry_after_s=CONNECTION_RECHECK_S)
    async with deps.store.transaction() as transaction:
        tenant = await transaction.load_setup(payment.tenant_id, for_decision=False)
        invoice = (await transaction.get_invoice(payment.tenant_id, payment.invoice_id)
                   if payment.origin == Origin.NETSUITE else None)
    timezone = tenant.timezone or access.timezone
    try:
        if payment.failed_at is not None:
            return await _settle_failed(deps, client, payment, tenant.id_scope)
        if moved := reconciling.account_moved(access.account_id, tenant, invoice):
            return await _set_aside(deps, payment, WorkState.WAITING, moved, retry_after_s=CONNECTION_RECHECK_S)
        if payment.origin == Origin.NETSUITE:
            async with deps.locks.hold(("invoice", payment.tenant_id, payment.netsuite_invoice_id)):
                payment = await _create_customer_payment(deps, client, payment, timezone)
            return await _finish(deps, payment, WorkState.WRITTEN, tenant.id_scope)
        body = reconciling.standalone_deposit_body(payment, tenant, timezone)
        record_id = await create_once(client, "deposit", payment.external_id, body)
        return await _finish(deps, replace(payment, netsuite_record_id=record_id), WorkState.DEPOSITED,
                             tenant.id_scope)
    except AuthenticationError:
        raise
    except PermanentNetSuiteError as refused:
        return await _set_aside(deps, payment, WorkState.ACTION_NEEDED, refused.detail, error=str(refused))


async def _create_customer_payment(deps: Deps, client: NetSuiteClient, payment: Payment,
                                   timezone: str | None) -> Payment:
    if payment.planned_apply is None:
        payment = await _plan(deps, client, payment)
    try:
        record_id = await _create(client, payment, timezone)
    except AuthenticationError:
        raise
    except PermanentNetSuiteError as refused:
        # Refused, so nothing was written: the balance may have moved since the plan; plan again once.
        replanned = await _plan(deps, client, payment)
        if replanned.planned_apply == payment.planned_apply:
            raise refused
        payment = replanned
        record_id = await _create(client, payment, timezone)
    return replace(payment, netsuite_record_id=record_id, applied_amount=payment.planned_apply)


async def _create(client: NetSuiteClient, payment: Payment, timezone: str | None) -> str:
    body = reconciling.customer_payment_body(payment, payment.planned_apply, timezone)
    return await create_once(client, "customerpayment", payment.external_id, body)


async def _plan(deps: Deps, client: NetSuiteClient, payment: Payment) -> Payment:
    """Apply what NetSuite says the invoice still owes; committed before the create that uses it."""
    try:
        invoice = await client.records.get("invoice", payment.netsuite_invoice_id)
        remaining = Decimal(str(invoice.get("amountRemaining", 0))).quantize(Decimal("0.01"))
    except NotFoundError:
        remaining = Decimal("0.00")  # deleted in NetSuite: the payment stays unapplied on the customer
    planned = reconciling.apply_amount(payment.amount, remaining)
    async with deps.store.transaction() as transaction:
        await transaction.set_plan(payment.tenant_id, payment.payment_id, planned)
    return replace(payment, planned_apply=planned)


async def _settle_failed(deps: Deps, client: NetSuiteClient, payment: Payment, scope: str | None) -> str:
    """R10 for a payment that failed before its write was confirmed: find it, never create it."""
    record_id = await client.records.find_id(payment.record_type, payment.external_id)
    if record_id is not None:
        return await _finish(deps, replace(payment, netsuite_record_id=record_id,
                                           applied_amount=payment.planned_apply), _done_state(payment), scope)
    return await _set_aside(deps, payment, WorkState.FAILED, payment.failure_reason or "failed")


def _done_state(payment: Payment) -> str:
    return WorkState.WRITTEN if payment.origin == Origin.NETSUITE else WorkState.DEPOSITED


async def _finish(deps: Deps, payment: Payment, state: str, scope: str | None) -> str:
    """``scope``: the id scope of the account written to (the outcome says it, for deposit-writer)."""
    at = deps.clock()
    async with deps.store.transaction() as transaction:
        done = await transaction.finish(payment.tenant_id, payment.payment_id, state,
                                        payment.netsuite_record_id, payment.applied_amount)
        if done is None:
            return (await transaction.get_payment(payment.tenant_id, payment.payment_id)).state
        events = [outcome(replace(done, state=state), state, at, netsuite_id_scope=scope)]
        if done.origin == Origin.NETSUITE and done.applied_amount < done.amount:
            events += await transaction.raise_item(done.tenant_id, overpayment_item(done, at))
        if done.state == WorkState.FAILED:
            events.append(outcome(done, WorkState.FAILED, at, done.failure_reason, netsuite_id_scope=scope))
        await transaction.publish(events)
    log.info("payment.written", payment_id=done.payment_id, netsuite_id=done.netsuite_record_id, state=done.state,
             applied=str(done.applied_amount) if done.applied_amount is not None else None)
    return done.state


def _load(transaction, tenant_id: str, payment_id: str):
    return transaction.get_payment(tenant_id, payment_id)


def _move(transaction, payment: Payment, state: str, reason: str, error: str | None, retry_after_s: float | None):
    return transaction.set_aside(payment.tenant_id, payment.payment_id, state, reason, error, retry_after_s)


def _announce(moved: Payment, state: str, at, reason: str) -> list:
    return [outcome(moved, state, at, moved.failure_reason if state == WorkState.FAILED else reason)]


# write_payment(deps, tenant_id, payment_id): write the payment if it is pending; returns its state afterwards.
write_payment = PendingWriter(_load, _write)
_set_aside = SetAside(_load, _move, _announce, write_rejected_item)
