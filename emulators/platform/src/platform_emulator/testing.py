"""Test helpers: invoice events as invoice-sync publishes them, and reading one tenant's events back."""
from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from importlib import resources

from contracts import topics
from contracts.envelope import envelope_fields
from contracts.ids import platform_customer_id, platform_invoice_id
from contracts.invoices import PlatformInvoiceData, PlatformInvoiceUpdated, PlatformPayment
from sb_runtime.kafka import new_producer
from sb_runtime.testing import wait_until

from platform_emulator.feed import assigned_consumer, at_end

T0 = dt.datetime(2026, 11, 1, 9, 0, tzinfo=dt.UTC)
SCHEMA_FILES = {"PaymentReceived": "payment-received.v1.schema.json",
                "PaymentFailed": "payment-failed.v1.schema.json",
                "DepositPosted": "deposit-posted.v1.schema.json"}


def invoice_updated(tenant_id: str, netsuite_id: str, *, total: str = "250.00", remaining: str | None = None,
                    status: str | None = None, currency: str = "USD", version: int = 1, archived: bool = False,
                    paid_via_platform: bool = False, payments: list[PlatformPayment] | None = None,
                    customer: str = "55") -> PlatformInvoiceUpdated:
    """A PlatformInvoiceUpdated the way invoice-sync publishes it (deterministic ids, decision 0006)."""
    remaining = total if remaining is None else remaining
    if status is None:
        status = "archived" if archived else ("paid" if Decimal(remaining) <= 0 else
                                              "partially_paid" if Decimal(remaining) < Decimal(total) else "open")
    data = PlatformInvoiceData(
        id=platform_invoice_id(tenant_id, netsuite_id), netsuite_id=netsuite_id, number=f"INV{netsuite_id}",
        customer_id=platform_customer_id(tenant_id, customer), customer_netsuite_id=customer, currency=currency,
        issued_on=T0.date(), due_on=T0.date() + dt.timedelta(days=30), total=total, amount_remaining=remaining,
        status=status, paid_via_platform=paid_via_platform, archived=archived,
        lines=[{"line": 1, "item": "Managed services", "quantity": "1", "rate": total, "amount": total}],
        payments=payments or [], version=version, updated_at=T0 + dt.timedelta(minutes=version))
    return PlatformInvoiceUpdated(**envelope_fields("PlatformInvoiceUpdated", tenant_id, data.id, version),
                                  data=data)


def schema(event_type: str) -> dict:
    """The JSON Schema shipped with the contracts for an upstream platform event."""
    text = resources.files("contracts").joinpath("schemas", SCHEMA_FILES[event_type]).read_text()
    return json.loads(text)


async def tenant_records(bootstrap_servers: str, topic: str, tenant_id: str, *, at_least: int,
                         timeout_s: float = 30.0) -> list:
    """The records of ``topic`` keyed by ``tenant_id``, in offset order, once there are ``at_least``."""
    key = tenant_id.encode()

    async def enough():
        records = await records_until_end(bootstrap_servers, topic)
        mine = sorted((r for r in records if r.key == key), key=lambda r: (r.partition, r.offset))
        return mine if len(mine) >= at_least else None

    return await wait_until(enough, timeout_s, interval_s=0.2, message=f"{at_least} records of {tenant_id} on {topic}")


async def records_until_end(bootstrap_servers: str, topic: str) -> list:
    """Every record on ``topic`` up to its end now (and perhaps a few published meanwhile)."""
    consumer = await assigned_consumer(bootstrap_servers, topic)
    records: list = []
    try:
        partitions = list(consumer.assignment())
        end = await consumer.end_offsets(partitions)
        while True:
            batches = await consumer.getmany(timeout_ms=200)
            for batch in batches.values():
                records.extend(batch)
            if not batches and await at_end(consumer, end):
                return records
    finally:
        await consumer.stop()


async def publish_invoices(bootstrap: str, events: list[PlatformInvoiceUpdated]) -> None:
    """Publish the invoices on suitebridge.invoices.v1 as invoice-sync would."""
    producer = new_producer(bootstrap)
    await producer.start()
    try:
        for event in events:
            await producer.send_and_wait(topics.INVOICES, event.to_bytes(), key=event.kafka_key())
    finally:
        await producer.stop()
