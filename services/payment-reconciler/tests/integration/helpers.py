"""Arrangements and waits the integration tests share."""
from __future__ import annotations

from contracts import topics
from contracts.ids import platform_invoice_id
from sb_runtime.testing import wait_until
from sb_writeback.testing import account_setup_saved, connection_changed

from payment_reconciler.testing import invoice_updated

from .conftest import TIMEZONE


async def connected_with_invoices(world, count: int, total: str = "100.00") -> list[tuple[str, str]]:
    await world.send(connection_changed(world.tenant_id, world.account_id, TIMEZONE),
                     account_setup_saved(world.tenant_id, world.account_id))
    invoices = []
    for _ in range(count):
        netsuite_id = await world.create_invoice(total)
        invoice_id = platform_invoice_id(world.tenant_id, netsuite_id)
        await world.send(invoice_updated(world.tenant_id, invoice_id, netsuite_id, "1", total, total))
        invoices.append((invoice_id, netsuite_id))
    return invoices


async def outcomes(world, status: str, count: int, timeout_s: float = 60.0) -> list:
    """The first outcome of each payment with ``status``, once ``count`` payments have one."""
    async def enough():
        found = {}
        for event in await world.events(topics.PAYMENT_OUTCOMES):
            if event.data.status == status:
                found.setdefault(event.data.payment_id, event)
        return list(found.values()) if len(found) >= count else None

    return await wait_until(enough, timeout_s, interval_s=0.3, message=f"{count} {status} outcomes")
