"""Topic platform.payments.v1 (upstream, exactly as the platform publishes) and payment outcomes."""
from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Annotated, ClassVar, Literal

from pydantic import AwareDatetime, StringConstraints, field_validator

from contracts import topics
from contracts.envelope import Data, Event, UpstreamData, UpstreamEvent, record_key
from contracts.money import Currency, Money

PlatformId = Annotated[str, StringConstraints(min_length=1, max_length=128)]


class PaymentReceivedData(UpstreamData):
    payment_id: PlatformId
    invoice_id: PlatformId
    customer_id: PlatformId
    amount: Money
    currency: Currency
    method: Literal["ach", "card", "check", "other"]
    received_at: AwareDatetime
    surcharge: Money = Decimal("0.00")

    @field_validator("amount")
    @classmethod
    def _positive(cls, amount: Decimal) -> Decimal:
        if amount <= 0:  # the contract: `amount` > 0 is applied to the invoice
            raise ValueError("a payment amount must be greater than 0.00")
        return amount


class PaymentReceived(Event):
    model_config = UpstreamEvent.model_config
    """A customer paid (part of) an invoice on the platform."""

    TOPIC: ClassVar[str] = topics.PLATFORM_PAYMENTS
    event_type: Literal["PaymentReceived"]
    schema_version: Literal[1]
    data: PaymentReceivedData


class PaymentFailedData(UpstreamData):
    payment_id: PlatformId
    invoice_id: PlatformId
    reason: Annotated[str, StringConstraints(min_length=1, max_length=256)]
    failed_at: AwareDatetime


class PaymentFailed(Event):
    model_config = UpstreamEvent.model_config
    """A payment received earlier failed (ACH return, chargeback)."""

    TOPIC: ClassVar[str] = topics.PLATFORM_PAYMENTS
    event_type: Literal["PaymentFailed"]
    schema_version: Literal[1]
    data: PaymentFailedData


PaymentStatus = Literal["waiting", "written", "deposited", "failed", "action_needed"]


class PaymentOutcomeData(Data):
    payment_id: PlatformId
    invoice_id: PlatformId
    status: PaymentStatus
    origin: Literal["netsuite", "platform"]  # whose invoice the payment was for
    amount: Money
    surcharge: Money = Decimal("0.00")
    currency: Currency
    applied_amount: Money | None = None  # what was applied to the NetSuite invoice
    netsuite_invoice_id: str | None = None
    netsuite_payment_id: str | None = None  # customer payment (R9)
    netsuite_deposit_id: str | None = None  # stand-alone deposit (R14)
    message: str | None = None
    recorded_at: datetime
    # The id scope of the NetSuite account the record was written to (contracts.ids.account_scope):
    # None for the tenant's first account. Set on the outcome that reports the write.
    netsuite_id_scope: str | None = None


class PaymentOutcomeRecorded(Event):
    """What suitebridge did with a platform payment (published by payment-reconciler)."""

    TOPIC: ClassVar[str] = topics.PAYMENT_OUTCOMES
    event_type: Literal["PaymentOutcomeRecorded"] = "PaymentOutcomeRecorded"
    schema_version: Literal[1] = 1
    data: PaymentOutcomeData

    def kafka_key(self) -> bytes:
        return record_key(self.tenant_id, self.data.payment_id)


PLATFORM_PAYMENT_EVENTS = {"PaymentReceived": PaymentReceived, "PaymentFailed": PaymentFailed}
