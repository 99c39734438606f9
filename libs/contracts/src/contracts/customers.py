"""NetSuite customer changes and the platform customer stream."""
from __future__ import annotations

import datetime as dt
from typing import ClassVar, Literal

from contracts import topics
from contracts.envelope import Data, Event, record_key
from contracts.money import Currency


class CustomerChangedData(Data):
    netsuite_id: str
    name: str
    email: str | None = None
    currency: Currency | None = None
    subsidiary: str | None = None
    inactive: bool = False
    external_id: str | None = None
    last_modified: dt.datetime
    id_scope: str | None = None  # the account's id scope after a tenant switched accounts (contracts.ids)


class CustomerChanged(Event):
    """A customer was created or changed in NetSuite."""

    TOPIC: ClassVar[str] = topics.NETSUITE_CUSTOMERS
    event_type: Literal["CustomerChanged"] = "CustomerChanged"
    schema_version: Literal[1] = 1
    data: CustomerChangedData

    def kafka_key(self) -> bytes:
        return record_key(self.tenant_id, self.data.netsuite_id)


class PlatformCustomerData(Data):
    id: str
    netsuite_id: str
    name: str
    email: str | None = None
    currency: Currency | None = None
    archived: bool = False
    version: int
    updated_at: dt.datetime


class PlatformCustomerUpdated(Event):
    """Platform-facing customer state (published by invoice-sync)."""

    TOPIC: ClassVar[str] = topics.CUSTOMERS
    event_type: Literal["PlatformCustomerUpdated"] = "PlatformCustomerUpdated"
    schema_version: Literal[1] = 1
    data: PlatformCustomerData

    def kafka_key(self) -> bytes:
        return record_key(self.tenant_id, self.data.id)
