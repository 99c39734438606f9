"""What a platform payment becomes in NetSuite (R9, R14, R18), decided without I/O."""
from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from contracts.ids import may_be_netsuite_invoice, netsuite_external_id
from contracts.payments import PaymentReceived
from sb_writeback.setup import TenantSetup
from sb_writeback.work import WorkState

ZERO = Decimal("0.00")


class Origin(StrEnum):
    """Where the paid invoice lives: a NetSuite invoice (a customer payment, R9) or only on the platform
    (a stand-alone deposit, R14)."""

    NETSUITE = "netsuite"
    PLATFORM = "platform"


# Account choices each kind of write needs (R18): customer payments land in Undeposited Funds;
# stand-alone deposits go into the deposit bank with an `other` line to platform income.
NEEDED = {Origin.NETSUITE: ("undeposited_funds",), Origin.PLATFORM: ("deposit_bank", "platform_income")}
RECORD_TYPE = {Origin.NETSUITE: "customerpayment", Origin.PLATFORM: "deposit"}
EXTERNAL_ID_KIND = {Origin.NETSUITE: "pay", Origin.PLATFORM: "dep"}


@dataclass(frozen=True)
class InvoiceRef:
    """A NetSuite-origin invoice as the invoice map (suitebridge.invoices.v1) knows it."""

    invoice_id: str
    netsuite_invoice_id: str
    netsuite_customer_id: str
    number: str
    currency: str
    amount_remaining: Decimal
    archived: bool
    id_scope: str | None = None  # which of the tenant's NetSuite accounts it is in (contracts.ids)


@dataclass(frozen=True)
class Payment:
    tenant_id: str
    payment_id: str
    state: WorkState
    invoice_id: str | None = None
    customer_id: str | None = None
    amount: Decimal | None = None
    surcharge: Decimal = ZERO
    currency: str | None = None
    method: str | None = None
    received_at: datetime | None = None
    origin: Origin | None = None
    netsuite_invoice_id: str | None = None
    netsuite_customer_id: str | None = None
    invoice_number: str | None = None
    planned_apply: Decimal | None = None
    applied_amount: Decimal | None = None
    netsuite_record_id: str | None = None
    reason: str | None = None
    failed_at: datetime | None = None
    failure_reason: str | None = None
    attempts: int = 0
    last_error: str | None = None

    @property
    def known(self) -> bool:
        """The PaymentReceived has been seen (a PaymentFailed may arrive first)."""
        return self.amount is not None

    @property
    def external_id(self) -> str:
        return netsuite_external_id(EXTERNAL_ID_KIND[self.origin], self.tenant_id, self.payment_id)

    @property
    def record_type(self) -> str:
        return RECORD_TYPE[self.origin]


def received(event: PaymentReceived, state: str = WorkState.PENDING) -> Payment:
    data = event.data
    return Payment(tenant_id=event.tenant_id, payment_id=data.payment_id, state=state, invoice_id=data.invoice_id,
                   customer_id=data.customer_id, amount=data.amount, surcharge=data.surcharge,
                   currency=data.currency, method=data.method, received_at=data.received_at)


def with_details(failed: Payment, event: PaymentReceived) -> Payment:
    """A payment whose failure was seen first, completed with what its PaymentReceived says."""
    return replace(received(event, state=WorkState.FAILED), failed_at=failed.failed_at, failure_reason=failed.failure_reason)


@dataclass(frozen=True)
class Decision:
    state: WorkState  # pending, waiting or action_needed
    origin: Origin
    reason: str | None = None
    missing: tuple[str, ...] = ()
    planned_apply: Decimal | None = None
    awaits_invoice: bool = False  # waits for its invoice: unknown, and not proven platform-created
    other_account: bool = False  # the invoice is in another of the tenant's NetSuite accounts


# The invoice's NetSuite id belongs to another of the tenant's accounts than the connected one (a
# switch): writing it would pay whatever invoice has that id in this account.
OTHER_ACCOUNT = ("Invoice {number} is in a NetSuite account this tenant is not connected to now; nothing was "
                 "written. Record the payment by hand in that account, or reconnect it to write it.")


def decide(payment: Payment, invoice: InvoiceRef | None, setup: TenantSetup) -> Decision:
    """Route a payment: customer payment (R9), stand-alone deposit (R14), or wait (its invoice; R18).

    R14 only on proof: an invoice id the map does not hold is platform-created only when it cannot
    be a NetSuite invoice's id (``contracts.ids.may_be_netsuite_invoice``); otherwise its update may
    be lost, lagging or dead-lettered, and the payment waits for it.
    """
    if invoice is None and may_be_netsuite_invoice(payment.invoice_id or ""):
        return Decision(WorkState.WAITING, Origin.NETSUITE, awaits_invoice=True, reason=(
            f"Waiting for invoice {payment.invoice_id}: it has the form of a NetSuite invoice's id, but suitebridge "
            "has not received that invoice; the payment is queued and will be applied to it when it arrives."))
    origin = Origin.NETSUITE if invoice is not None else Origin.PLATFORM
    if invoice is not None and invoice.currency != payment.currency:
        return Decision(WorkState.ACTION_NEEDED, origin, reason=(
            f"Payment {payment.payment_id} is in {payment.currency} but invoice {invoice.number} is in "
            f"{invoice.currency}; nothing was written to NetSuite. Record it by hand."))
    if invoice is not None and invoice.id_scope != setup.id_scope:
        return Decision(WorkState.WAITING, origin, reason=OTHER_ACCOUNT.format(number=invoice.number),
                        other_account=True)
    if not setup.connected:
        return Decision(WorkState.WAITING, origin, reason="The NetSuite connection is not working; the payment is queued.")
    missing = tuple(setup.missing(NEEDED[origin]))
    if missing:
        return Decision(WorkState.WAITING, origin, missing=missing,
                        reason=f"Waiting for the account setup ({', '.join(missing)}); the payment is queued.")
    return Decision(WorkState.PENDING, origin, planned_apply=first_plan(payment.amount, invoice) if invoice else None)


def account_moved(credentials_account: str, setup: TenantSetup, invoice: InvoiceRef | None) -> str | None:
    """Why a payment decided earlier must not be written with these credentials now, or None.

    The tenant may have switched NetSuite accounts since the decision (connector-account-identity).
    """
    if setup.netsuite_account_id and credentials_account.upper() != setup.netsuite_account_id.upper():
        return ("The tenant's NetSuite account changed to another one; the payment waits until the change "
                "has reached write-back.")
    if invoice is not None and invoice.id_scope != setup.id_scope:
        return OTHER_ACCOUNT.format(number=invoice.number)
    return None


def first_plan(amount: Decimal, invoice: InvoiceRef) -> Decimal | None:
    """What to apply without asking NetSuite, or None when only NetSuite's balance can tell.

    The map's balance covering the amount makes the common case one call; NetSuite refuses an
    over-application, so a stale map costs a second call, never a wrong write.
    """
    if invoice.archived:
        return ZERO
    return amount if invoice.amount_remaining >= amount else None


def apply_amount(amount: Decimal, remaining: Decimal) -> Decimal:
    """R9: apply the payment, but never more than the invoice still owes."""
    return max(ZERO, min(amount, remaining))


def local_date(instant: datetime, timezone: str | None) -> date:
    """The calendar date of ``instant`` in the NetSuite account's time zone (UTC when unknown)."""
    try:
        zone = ZoneInfo(timezone or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        zone = ZoneInfo("UTC")
    return instant.astimezone(zone).date()


def memo(payment: Payment) -> str:
    invoice = payment.invoice_number or payment.invoice_id
    return f"suitebridge: platform payment {payment.payment_id} ({payment.method}) for invoice {invoice}"


def customer_payment_body(payment: Payment, applied: Decimal, timezone: str | None) -> dict:
    """R9: a customer payment of the full amount into Undeposited Funds, ``applied`` to the invoice."""
    body = {
        "customer": {"id": payment.netsuite_customer_id},
        "tranDate": local_date(payment.received_at, timezone).isoformat(),
        "payment": payment.amount,
        "undepFunds": True,
        "memo": memo(payment),
    }
    if applied > 0:
        body["apply"] = {"items": [{"doc": {"id": payment.netsuite_invoice_id}, "line": 0, "apply": True,
                                    "amount": applied}]}
    return body


def standalone_deposit_body(payment: Payment, setup: TenantSetup, timezone: str | None) -> dict:
    """R14: one `other` line (amount plus surcharge) to platform income, into the deposit bank."""
    return {
        "account": {"id": setup.account("deposit_bank")},
        "tranDate": local_date(payment.received_at, timezone).isoformat(),
        "memo": memo(payment),
        "other": {"items": [{"account": {"id": setup.account("platform_income")},
                             "amount": payment.amount + payment.surcharge, "memo": memo(payment)}]},
    }
