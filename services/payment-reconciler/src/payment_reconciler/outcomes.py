"""The events a payment's transitions publish: its outcome, and the action items it raises."""
from __future__ import annotations

from datetime import datetime

from contracts.action_items import ActionItemData
from contracts.envelope import envelope_fields
from contracts.money import format_money
from contracts.payments import PaymentOutcomeData, PaymentOutcomeRecorded

from payment_reconciler.reconciling import OTHER_ACCOUNT, Origin, Payment

SOURCE = "payment-reconciler"
OTHER_ACCOUNT_TAIL = OTHER_ACCOUNT.rsplit("}", 1)[1]


def outcome(payment: Payment, status: str, at: datetime, message: str | None = None,
            netsuite_id_scope: str | None = None) -> PaymentOutcomeRecorded:
    written = payment.netsuite_record_id
    data = PaymentOutcomeData(
        payment_id=payment.payment_id, invoice_id=payment.invoice_id, status=status,
        origin=payment.origin or Origin.PLATFORM, amount=payment.amount, surcharge=payment.surcharge,
        currency=payment.currency, applied_amount=payment.applied_amount,
        netsuite_invoice_id=payment.netsuite_invoice_id,
        netsuite_payment_id=written if payment.origin == Origin.NETSUITE else None,
        netsuite_deposit_id=written if payment.origin == Origin.PLATFORM else None,
        message=message, recorded_at=at, netsuite_id_scope=netsuite_id_scope,
    )
    # Same transition, same id: a re-run after a crash is absorbed by the consumers' inboxes.
    ids = (payment.payment_id, status, data.message or "")
    return PaymentOutcomeRecorded(**envelope_fields("PaymentOutcomeRecorded", payment.tenant_id, *ids,
                                                    occurred_at=at), data=data)


def _item(payment: Payment, kind: str, message: str, at: datetime) -> ActionItemData:
    return ActionItemData(item_id=f"{SOURCE}:{kind}:{payment.payment_id}", kind=kind, message=message,
                          invoice_id=payment.invoice_id, payment_id=payment.payment_id,
                          netsuite_id=payment.netsuite_record_id, source=SOURCE, at=at)


def overpayment_item(payment: Payment, at: datetime) -> ActionItemData:
    unapplied = payment.amount - payment.applied_amount
    return _item(payment, "overpayment", (
        f"Payment {payment.payment_id} of {format_money(payment.amount)} {payment.currency} is more than invoice "
        f"{payment.invoice_number or payment.invoice_id} still owed: {format_money(payment.applied_amount)} was "
        f"applied and {format_money(unapplied)} left unapplied on the customer in NetSuite."), at)


def currency_mismatch_item(payment: Payment, at: datetime) -> ActionItemData:
    return _item(payment, "currency_mismatch", payment.reason, at)


def invoice_unknown_id(payment: Payment) -> str:
    return f"{SOURCE}:invoice_unknown:{payment.payment_id}"


def invoice_unknown_item(payment: Payment, at: datetime) -> ActionItemData:
    return _item(payment, "invoice_unknown", (
        f"Payment {payment.payment_id} of {format_money(payment.amount)} {payment.currency} is for invoice "
        f"{payment.invoice_id}, which suitebridge has not received from NetSuite; nothing was written. It is "
        "applied as soon as the invoice arrives. If the invoice was deleted in NetSuite, record the payment by "
        "hand."), at)


def write_rejected_item(payment: Payment, detail: str, at: datetime) -> ActionItemData:
    return _item(payment, "write_rejected", (
        f"NetSuite refused to record payment {payment.payment_id} ({format_money(payment.amount)} "
        f"{payment.currency}): {detail}"), at)


def other_account_item(payment: Payment, reason: str, at: datetime) -> ActionItemData:
    """Kind ``write_rejected`` (nothing was written); its own id, so it never meets a NetSuite refusal's item."""
    item = _item(payment, "write_rejected", reason, at)
    return item.model_copy(update={"item_id": f"{SOURCE}:other_account:{payment.payment_id}"})


async def other_account_events(transaction, before: Payment, decision, at: datetime) -> list:
    """Raise the item when a payment's invoice is in another NetSuite account; resolve it once it is not."""
    if decision.other_account:
        return await transaction.raise_item(before.tenant_id, other_account_item(before, decision.reason, at))
    if before.reason and before.reason.endswith(OTHER_ACCOUNT_TAIL):
        return await transaction.resolve_item(before.tenant_id, f"{SOURCE}:other_account:{before.payment_id}", at)
    return []
