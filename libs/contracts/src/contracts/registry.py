"""Which events travel on which topic, and decoding raw bytes into the right model."""
from __future__ import annotations

import json

from pydantic import ValidationError
from pydantic_core import PydanticCustomError

from contracts import topics
from contracts.action_items import ACTION_ITEM_EVENTS
from contracts.customers import CustomerChanged, PlatformCustomerUpdated
from contracts.envelope import Event
from contracts.invoices import NETSUITE_INVOICE_EVENTS, InvoicePdfFetched, InvoicePdfFetchedV2, PlatformInvoiceUpdated
from contracts.payments import PLATFORM_PAYMENT_EVENTS, PaymentOutcomeRecorded
from contracts.payouts import PLATFORM_PAYOUT_EVENTS, PayoutOutcomeRecorded
from contracts.setup import SETUP_EVENTS
from contracts.transactions import NETSUITE_TRANSACTION_EVENTS

TOPIC_EVENTS: dict[str, dict[str, type[Event]]] = {
    topics.PLATFORM_PAYMENTS: PLATFORM_PAYMENT_EVENTS,
    topics.PLATFORM_PAYOUTS: PLATFORM_PAYOUT_EVENTS,
    topics.NETSUITE_INVOICES: NETSUITE_INVOICE_EVENTS,
    topics.NETSUITE_CUSTOMERS: {"CustomerChanged": CustomerChanged},
    topics.NETSUITE_PAYMENTS: NETSUITE_TRANSACTION_EVENTS,
    topics.NETSUITE_INVOICE_PDFS: {"InvoicePdfFetched": InvoicePdfFetchedV2},
    topics.NETSUITE_INVOICE_PDFS_V1: {"InvoicePdfFetched": InvoicePdfFetched},
    topics.NETSUITE_SETUP: SETUP_EVENTS,
    topics.INVOICES: {"PlatformInvoiceUpdated": PlatformInvoiceUpdated},
    topics.CUSTOMERS: {"PlatformCustomerUpdated": PlatformCustomerUpdated},
    topics.PAYMENT_OUTCOMES: {"PaymentOutcomeRecorded": PaymentOutcomeRecorded},
    topics.PAYOUT_OUTCOMES: {"PayoutOutcomeRecorded": PayoutOutcomeRecorded},
    topics.ACTION_ITEMS: ACTION_ITEM_EVENTS,
}


def snapshot_name(event_type: str, model: type[Event]) -> str:
    """The schema snapshot's name: the event type, with ``.v<n>`` from version 2 on."""
    version = model.model_fields["schema_version"].default
    return f"{event_type}.v{version}" if isinstance(version, int) and version > 1 else event_type


def unknown_event_type(message: str) -> ValidationError:
    """An event type the topic does not carry violates the contract like any invalid field does."""
    return ValidationError.from_exception_data("Event", [
        {"type": PydanticCustomError("unknown_event_type", message), "loc": ("event_type",), "input": None}])


def decode(topic: str, raw: bytes) -> Event:
    """Parse and validate ``raw`` as one of ``topic``'s events.

    Raises ``json.JSONDecodeError``, ``UnicodeDecodeError`` or ``pydantic.ValidationError`` (also for
    an event type the topic does not carry): all of them mean a poison message.
    """
    document = json.loads(raw.decode("utf-8"))
    if not isinstance(document, dict):
        raise unknown_event_type("an event must be a JSON object")
    event_type = document.get("event_type")
    model = TOPIC_EVENTS.get(topic, {}).get(event_type) if isinstance(event_type, str) else None
    if model is None:
        raise unknown_event_type(f"topic {topic} carries no event type {event_type!r}")
    return model.model_validate_json(raw)


__all__ = ["TOPIC_EVENTS", "decode", "snapshot_name", "ValidationError"]
