"""R14 only on proof: a payment for an invoice id the invoice map does not hold is booked as a
stand-alone deposit only when the id cannot be a NetSuite invoice's (decision 0006), never because
the invoice's update was lost, lagging or dead-lettered. Without proof it waits visibly, becomes an
action item after a bound, and is written to its invoice once the update arrives."""
from __future__ import annotations

import pytest

from contracts import topics
from contracts.ids import platform_invoice_id
from sb_runtime.testing import wait_until
from sb_writeback.testing import account_setup_saved, connection_changed

from payment_reconciler.testing import invoice_updated, payment_received

from .conftest import TIMEZONE

pytestmark = pytest.mark.asyncio(loop_scope="module")


async def outcome_of(world, payment_id: str, status: str, timeout_s: float = 30.0):
    async def found():
        events = await world.events(topics.PAYMENT_OUTCOMES, timeout_s=0.5)
        return next((e for e in events if e.data.payment_id == payment_id and e.data.status == status), None)

    return await wait_until(found, timeout_s, message=f"outcome {status} of {payment_id}")


async def items(world, kind: str, event_type: str = "ActionItemRaised") -> list:
    return [e for e in await world.events(topics.ACTION_ITEMS) if e.data.kind == kind and e.event_type == event_type]


async def test_a_dead_lettered_invoice_update_never_turns_its_payment_into_platform_income(world):
    await world.send(connection_changed(world.tenant_id, world.account_id, TIMEZONE),
                     account_setup_saved(world.tenant_id, world.account_id))
    netsuite_id = await world.create_invoice("120.00")
    invoice_id = platform_invoice_id(world.tenant_id, netsuite_id)
    # The invoice's update reaches the reconciler broken: it is dead-lettered, and the map moves past it.
    await world.producer.send_and_wait(world.names(topics.INVOICES), b'{"event_type": "PlatformInvoiceUpdated"}',
                                       key=f"{world.tenant_id}:{invoice_id}".encode())
    await world.dead_letters(topics.INVOICES)
    await world.send(payment_received(world.tenant_id, "pay-lost", invoice_id, "120.00"))

    waiting = await outcome_of(world, "pay-lost", "waiting")
    assert invoice_id in waiting.data.message

    async def item_raised():
        return await items(world, "invoice_unknown")

    [item] = await wait_until(item_raised, 30, message="the invoice_unknown action item")
    assert item.data.payment_id == "pay-lost"
    assert await world.written("dep") == [] and await world.written("pay") == []

    # The proof arrives: the invoice's update, intact. The payment is applied to it, once.
    await world.send(invoice_updated(world.tenant_id, invoice_id, netsuite_id, "1", "120.00", "120.00"))
    written = await outcome_of(world, "pay-lost", "written")
    assert written.data.netsuite_invoice_id == netsuite_id
    assert len(await world.written("pay")) == 1 and await world.written("dep") == []
    assert (await world.record("invoice", netsuite_id))["amountRemaining"] == 0.0

    async def item_resolved():
        return await items(world, "invoice_unknown", "ActionItemResolved")

    await wait_until(item_resolved, 30, message="the invoice_unknown item resolved")
