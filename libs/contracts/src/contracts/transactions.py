"""NetSuite-side money movements: customer payments, credit memos, bank deposits (connector → invoice-sync)."""
from __future__ import annotations

import datetime as dt
from typing import ClassVar, Literal

from pydantic import Field

from contracts import topics
from contracts.envelope import Data, Event, record_key
from contracts.money import Currency, SignedMoney


class Application(Data):
    invoice_netsuite_id: str
    amount: SignedMoney


class CustomerPaymentChangedData(Data):
    netsuite_id: str
    customer_netsuite_id: str
    currency: Currency | None = None
    amount: SignedMoney
    applications: list[Application] = Field(default_factory=list)
    deposited: bool = False
    external_id: str | None = None
    last_modified: dt.datetime
    echo: bool = False
    id_scope: str | None = None  # the account's id scope after a tenant switched accounts (contracts.ids)


class CustomerPaymentChanged(Event):
    """A customer payment was created or changed in NetSuite (R3, R13)."""

    TOPIC: ClassVar[str] = topics.NETSUITE_PAYMENTS
    event_type: Literal["CustomerPaymentChanged"] = "CustomerPaymentChanged"
    schema_version: Literal[1] = 1
    data: CustomerPaymentChangedData

    def kafka_key(self) -> bytes:
        return record_key(self.tenant_id, self.data.netsuite_id)


class CreditMemoChangedData(Data):
    netsuite_id: str
    customer_netsuite_id: str
    currency: Currency | None = None
    amount: SignedMoney
    applications: list[Application] = Field(default_factory=list)
    external_id: str | None = None
    last_modified: dt.datetime
    id_scope: str | None = None  # the account's id scope after a tenant switched accounts (contracts.ids)


class CreditMemoChanged(Event):
    """A credit memo was created or changed in NetSuite (R3, R13)."""

    TOPIC: ClassVar[str] = topics.NETSUITE_PAYMENTS
    event_type: Literal["CreditMemoChanged"] = "CreditMemoChanged"
    schema_version: Literal[1] = 1
    data: CreditMemoChangedData

    def kafka_key(self) -> bytes:
        return record_key(self.tenant_id, self.data.netsuite_id)


class DepositChangedData(Data):
    netsuite_id: str
    account_netsuite_id: str | None = None
    total: SignedMoney
    payment_netsuite_ids: list[str] = Field(default_factory=list)
    external_id: str | None = None
    last_modified: dt.datetime
    echo: bool = False
    id_scope: str | None = None  # the account's id scope after a tenant switched accounts (contracts.ids)


class DepositChanged(Event):
    """A bank deposit was created or changed in NetSuite (R4)."""

    TOPIC: ClassVar[str] = topics.NETSUITE_PAYMENTS
    event_type: Literal["DepositChanged"] = "DepositChanged"
    schema_version: Literal[1] = 1
    data: DepositChangedData

    def kafka_key(self) -> bytes:
        return record_key(self.tenant_id, self.data.netsuite_id)


NETSUITE_TRANSACTION_EVENTS = {
    "CustomerPaymentChanged": CustomerPaymentChanged,
    "CreditMemoChanged": CreditMemoChanged,
    "DepositChanged": DepositChanged,
}
