"""Topic platform.payouts.v1 (upstream) and payout outcomes."""
from __future__ import annotations

import datetime as dt
from typing import Annotated, ClassVar, Literal

from pydantic import Field, StringConstraints

from contracts import topics
from contracts.envelope import Data, Event, UpstreamData, UpstreamEvent, record_key
from contracts.money import Currency, Money, SignedMoney
from contracts.payments import PlatformId


class Fee(UpstreamData):
    kind: Literal["processing", "ach", "card", "chargeback", "other"]
    amount: Money
    description: Annotated[str, StringConstraints(max_length=256)] | None = None


class DepositPostedData(UpstreamData):
    payout_id: PlatformId
    currency: Currency
    arrival_date: dt.date
    gross_amount: Money
    fee_amount: Money
    net_amount: Money
    payment_ids: Annotated[list[PlatformId], Field(min_length=1)]
    fees: list[Fee]


class DepositPosted(Event):
    model_config = UpstreamEvent.model_config
    """The platform paid out a batch of payments to the partner's bank account."""

    TOPIC: ClassVar[str] = topics.PLATFORM_PAYOUTS
    event_type: Literal["DepositPosted"]
    schema_version: Literal[1]
    data: DepositPostedData


class PayoutOutcomeData(Data):
    payout_id: PlatformId
    status: Literal["waiting", "deposited", "action_needed"]
    netsuite_deposit_id: str | None = None
    difference: SignedMoney | None = None
    missing_payment_ids: list[str] = []
    message: str | None = None
    recorded_at: dt.datetime


class PayoutOutcomeRecorded(Event):
    """What suitebridge did with a payout (published by deposit-writer)."""

    TOPIC: ClassVar[str] = topics.PAYOUT_OUTCOMES
    event_type: Literal["PayoutOutcomeRecorded"] = "PayoutOutcomeRecorded"
    schema_version: Literal[1] = 1
    data: PayoutOutcomeData

    def kafka_key(self) -> bytes:
        return record_key(self.tenant_id, self.data.payout_id)


PLATFORM_PAYOUT_EVENTS = {"DepositPosted": DepositPosted}
