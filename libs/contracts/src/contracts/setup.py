"""Per-tenant connection state and account setup (connector → write-back services)."""
from __future__ import annotations

import datetime as dt
from typing import ClassVar, Literal

from contracts import topics
from contracts.envelope import Data, Event


class ConnectionChangedData(Data):
    status: Literal["not_connected", "pending", "connected", "error"]
    netsuite_account_id: str | None = None
    timezone: str | None = None  # the NetSuite account's time zone (tranDate is local to it)
    message: str | None = None
    changed_at: dt.datetime


class ConnectionChanged(Event):
    """A tenant's NetSuite connection changed state."""

    TOPIC: ClassVar[str] = topics.NETSUITE_SETUP
    event_type: Literal["ConnectionChanged"] = "ConnectionChanged"
    schema_version: Literal[1] = 1
    data: ConnectionChangedData


class AccountSetupSavedData(Data):
    netsuite_account_id: str
    undeposited_funds: str
    deposit_bank: str
    fee_expense: str | None = None
    platform_income: str | None = None
    saved_at: dt.datetime


class AccountSetupSaved(Event):
    """The partner chose the accounts write-back uses (R18)."""

    TOPIC: ClassVar[str] = topics.NETSUITE_SETUP
    event_type: Literal["AccountSetupSaved"] = "AccountSetupSaved"
    schema_version: Literal[1] = 1
    data: AccountSetupSavedData


SETUP_EVENTS = {"ConnectionChanged": ConnectionChanged, "AccountSetupSaved": AccountSetupSaved}
