"""Action items: things a partner must do by hand, raised and resolved by any service."""
from __future__ import annotations

import datetime as dt
from typing import ClassVar, Literal

from contracts import topics
from contracts.envelope import Data, Event, record_key

ActionKind = Literal[
    "revert_invoice_in_netsuite",  # R10
    "account_setup_missing",  # R18
    "overpayment",  # R9: more than the balance
    "currency_mismatch",  # R9
    "deposit_does_not_balance",  # R15
    "payout_waiting_for_payments",  # R15
    "sync_error",  # a record the connector could not read or map
    "write_rejected",  # NetSuite refused a write-back (the message carries NetSuite's reason)
    "reconnect_netsuite",  # the OAuth 2.0 authorization ends soon (or ended): reconnect NetSuite
    "invoice_unknown",  # R9/R14: a payment waits for an invoice suitebridge has not received, nothing proves platform
    "event_not_published",  # an event the broker can never take was set aside by the outbox (sb_runtime)
]


class ActionItemData(Data):
    item_id: str  # deterministic: raising twice is one item
    kind: ActionKind
    message: str
    invoice_id: str | None = None
    payment_id: str | None = None
    payout_id: str | None = None
    netsuite_id: str | None = None
    source: str  # the service that raised it
    at: dt.datetime


class ActionItemRaised(Event):
    TOPIC: ClassVar[str] = topics.ACTION_ITEMS
    event_type: Literal["ActionItemRaised"] = "ActionItemRaised"
    schema_version: Literal[1] = 1
    data: ActionItemData

    def kafka_key(self) -> bytes:
        return record_key(self.tenant_id, self.data.item_id)


class ActionItemResolved(Event):
    TOPIC: ClassVar[str] = topics.ACTION_ITEMS
    event_type: Literal["ActionItemResolved"] = "ActionItemResolved"
    schema_version: Literal[1] = 1
    data: ActionItemData

    def kafka_key(self) -> bytes:
        return record_key(self.tenant_id, self.data.item_id)


ACTION_ITEM_EVENTS = {"ActionItemRaised": ActionItemRaised, "ActionItemResolved": ActionItemResolved}
