"""Load generation for benchmarks: many payments, as fast as the broker takes them."""
from __future__ import annotations

import asyncio
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from contracts.money import CENT

if TYPE_CHECKING:
    from platform_emulator.emulator import PlatformEmulator

SMALL = Decimal("1.00")  # default amount: many payments fit into one invoice
WINDOW = 1000  # deliveries awaited in batches of this many


@dataclass(frozen=True)
class LoadResult:
    tenant_id: str
    payments: int
    invoices: int
    seconds: float
    per_second: float
    total_amount: str

    def as_dict(self) -> dict:
        return asdict(self)


async def run_load(platform: PlatformEmulator, tenant_id: str, payments: int, *, invoice_ids: Sequence[str] | None,
                   amount: Decimal | None, currency: str | None, method: str) -> LoadResult:
    """Pays ``invoice_ids`` round-robin (or the tenant's payable synced invoices when None).

    An invoice in the book never gets more than its balance; an id the book does not know is paid as a
    platform invoice (R14) in ``currency``. Stops early when every known invoice is paid off.
    """
    await platform.caught_up()
    if invoice_ids is None:
        invoice_ids = [v.invoice_id for v in await platform.wait_for_invoices(tenant_id)]
    targets = list(dict.fromkeys(invoice_ids))
    pending: list[asyncio.Future] = []
    total, sent, started = Decimal("0.00"), 0, time.monotonic()
    while sent < payments and targets:
        invoice_id = targets[sent % len(targets)]
        event = _payment(platform, tenant_id, invoice_id, amount, currency, method)
        if event is None:
            targets.remove(invoice_id)
            continue
        pending.append(await platform.publish(event, wait=False))
        total, sent = total + event.data.amount, sent + 1
        if len(pending) >= WINDOW:
            await asyncio.gather(*pending)
            pending.clear()
    await asyncio.gather(*pending)
    seconds = time.monotonic() - started
    return LoadResult(tenant_id, sent, len(set(invoice_ids)), round(seconds, 3),
                      round(sent / seconds, 1) if seconds > 0 else 0.0, f"{total:.2f}")


def _payment(platform: PlatformEmulator, tenant_id: str, invoice_id: str, amount: Decimal | None,
             currency: str | None, method: str):
    now = platform.clock()
    view = platform.book.get(tenant_id, invoice_id)
    if view is None:
        return platform.planner.pay_platform_invoice(tenant_id, now, invoice_id=invoice_id, amount=amount or SMALL,
                                                     currency=currency, method=method)
    balance = platform.balance(view)
    want = min(amount or SMALL, balance)
    if want < CENT:
        return None
    return platform.planner.pay(view, now, amount=want, method=method)
