"""The events a payout's transitions publish: its outcome, and the action items it raises."""
from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from contracts.action_items import ActionItemData
from contracts.envelope import envelope_fields
from contracts.money import format_money
from contracts.payouts import PayoutOutcomeData, PayoutOutcomeRecorded

from deposit_writer.balancing import Payout

SOURCE = "deposit-writer"
WAITING = "payout_waiting_for_payments"
UNBALANCED = "deposit_does_not_balance"
REJECTED = "write_rejected"
WRONG_CURRENCY = "currency_mismatch"  # the kind payment-reconciler also raises for currencies


def item_id(kind: str, payout_id: str) -> str:
    return f"{SOURCE}:{kind}:{payout_id}"


def outcome(payout: Payout, status: str, at: datetime, *, message: str | None = None,
            netsuite_deposit_id: str | None = None, difference: Decimal | None = None,
            missing: tuple[str, ...] = ()) -> PayoutOutcomeRecorded:
    data = PayoutOutcomeData(payout_id=payout.payout_id, status=status, netsuite_deposit_id=netsuite_deposit_id,
                             difference=difference, missing_payment_ids=list(missing), message=message,
                             recorded_at=at)
    ids = (payout.payout_id, status, message or "", ",".join(missing))
    return PayoutOutcomeRecorded(**envelope_fields("PayoutOutcomeRecorded", payout.tenant_id, *ids, occurred_at=at),
                                 data=data)


def _item(payout: Payout, kind: str, message: str, at: datetime) -> ActionItemData:
    return ActionItemData(item_id=item_id(kind, payout.payout_id), kind=kind, message=message,
                          payout_id=payout.payout_id, source=SOURCE, at=at)


def waiting_item(payout: Payout, missing: tuple[str, ...], at: datetime) -> ActionItemData:
    return _item(payout, WAITING, (
        f"Payout {payout.payout_id} ({format_money(payout.net_amount)} {payout.currency}) waits for "
        f"{len(missing)} of its payments to be recorded in NetSuite: {', '.join(missing)}."), at)


def unbalanced_item(payout: Payout, difference: Decimal, reason: str, at: datetime) -> ActionItemData:
    return _item(payout, UNBALANCED, (
        f"Payout {payout.payout_id} was not posted to NetSuite: its deposit would be off by "
        f"{format_money(difference)} {payout.currency} against the net amount of {format_money(payout.net_amount)} "
        f"({reason}). Record it by hand."), at)


def rejected_item(payout: Payout, detail: str, at: datetime) -> ActionItemData:
    return _item(payout, REJECTED, f"NetSuite refused the deposit for payout {payout.payout_id}: {detail}", at)


def currency_item(payout: Payout, bank_currency: str, at: datetime) -> ActionItemData:
    return _item(payout, WRONG_CURRENCY, (
        f"Payout {payout.payout_id} ({format_money(payout.net_amount)} {payout.currency}) was not deposited: the "
        f"chosen bank account is in {bank_currency}. Choose a bank account in {payout.currency} in the NetSuite "
        "account setup; the payout is deposited as soon as it is saved."), at)
