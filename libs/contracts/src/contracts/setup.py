"""Per-tenant connection state and account setup (connector → write-back services)."""
from __future__ import annotations

import datetime as dt
from typing import ClassVar, Literal

from pydantic import Field

from contracts import topics
from contracts.envelope import Data, Event
from contracts.money import Currency


class ConnectionChangedData(Data):
    status: Literal["not_connected", "pending", "connected", "error"]
    netsuite_account_id: str | None = None
    timezone: str | None = None  # the NetSuite account's time zone (tranDate is local to it)
    message: str | None = None
    changed_at: dt.datetime
    # The id scope of the tenant's platform ids in this account (contracts.ids.account_scope): None
    # for the first account it connected; the account id after a confirmed switch to another one.
    id_scope: str | None = None


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
    # The ISO currency of each chosen account (choice -> code): the account's own currency, else the
    # company's base currency; a choice is absent when neither could be read (decision
    # writeback-bank-currency).
    currencies: dict[str, Currency] = Field(default_factory=dict)


class AccountSetupSaved(Event):
    """The partner chose the accounts write-back uses (R18)."""

    TOPIC: ClassVar[str] = topics.NETSUITE_SETUP
    event_type: Literal["AccountSetupSaved"] = "AccountSetupSaved"
    schema_version: Literal[1] = 1
    data: AccountSetupSavedData


SETUP_EVENTS = {"ConnectionChanged": ConnectionChanged, "AccountSetupSaved": AccountSetupSaved}
