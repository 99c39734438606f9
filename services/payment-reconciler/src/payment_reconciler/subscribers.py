"""Transport edge: decode each message into its contract event, bind the log context, run the use case.

Poison (undecodable, contract-violating, or money in a currency that does not exist) raises while
decoding and the shared edges (``sb_runtime.kafka`` / ``kafka_batch``) dead-letter it with the
reason; handlers only ever see valid events. Consuming a payment only records it (inbox + state row);
its NetSuite write runs in its tenant's lane (``sb_writeback.lanes``), so no tenant's NetSuite holds
the partition. A transient failure while recording (the database) leaves the batch unacked, so it
comes again (``sb_runtime.errors.classify``).
"""
from __future__ import annotations

import asyncio

from contracts import topics
from contracts.currencies import is_known_currency
from contracts.payments import PaymentFailed, PaymentReceived
from contracts.registry import decode
from sb_runtime.errors import is_transient
from sb_runtime.kafka import Inbound
from sb_runtime.logging import bind_unit_of_work, get_logger
from sb_writeback.subscribers import decode_bound

from payment_reconciler import handlers
from payment_reconciler.deps import Deps
from payment_reconciler.errors import Permanent

log = get_logger(__name__)


def decode_payment(message: Inbound) -> PaymentReceived | PaymentFailed:
    """A platform.payments.v1 message as its event; raising makes it poison (dead-lettered)."""
    event = decode(topics.PLATFORM_PAYMENTS, message.value)
    if isinstance(event, PaymentReceived) and not is_known_currency(event.data.currency):
        raise Permanent(f"unknown currency {event.data.currency!r}")
    return event


async def on_payments(events: list[PaymentReceived | PaymentFailed], deps: Deps) -> None:
    """A batch: payments recorded concurrently, the events of one payment in order, each then handed
    to its tenant's lane. Raises if any must come again; the batch is then nacked."""
    lanes: dict[tuple[str, str], list] = {}
    for event in events:
        lanes.setdefault((event.tenant_id, event.data.payment_id), []).append(event)
    results = await asyncio.gather(*(_lane(lane, deps) for lane in lanes.values()), return_exceptions=True)
    failures = [result for result in results if isinstance(result, BaseException)]
    if failures:  # a non-transient failure first: the batch edge then isolates its culprit
        raise next((f for f in failures if not is_transient(f)), failures[0])


async def _lane(events: list, deps: Deps) -> None:
    for event in events:
        bind_unit_of_work(tenant_id=event.tenant_id, event_id=event.event_id, payment_id=event.data.payment_id)
        if isinstance(event, PaymentReceived):
            state = await handlers.payment_received(event, deps)
        else:
            state = await handlers.payment_failed(event, deps)
        log.info("payment.handled", event_type=event.event_type, state=state)


async def on_invoice(message: Inbound, deps: Deps) -> None:
    event = decode_bound(message, deps)
    await handlers.invoice_updated(event, deps)
    log.info("invoice_map.updated", invoice_id=event.data.id, version=event.data.version)
