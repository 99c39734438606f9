"""Is the invoice map complete? Asked before a payment for an unknown invoice becomes a stand-alone
deposit (R14): a NetSuite invoice the map has not consumed yet would otherwise be booked as income.

The platform can only pay an invoice id it has read from suitebridge.invoices.v1, so the map knows
every NetSuite invoice once this service's invoices consumer group has committed up to the end
offsets the topic had when the payment was handled.
"""
from __future__ import annotations

from sb_writeback.progress import GroupProgress

from payment_reconciler.errors import Transient


class KafkaInvoiceMapFreshness:
    def __init__(self, bootstrap_servers: str, topic: str, group_id: str, wait_s: float = 30.0) -> None:
        self._progress = GroupProgress(bootstrap_servers, group_id)
        self._topic = topic
        self._wait_s = wait_s

    async def start(self) -> None:
        await self._progress.start()

    async def stop(self) -> None:
        await self._progress.stop()

    async def caught_up(self) -> None:
        if not await self._progress.wait_caught_up(self._topic, self._wait_s):
            raise Transient(f"the invoice map ({self._topic}) is still behind after {self._wait_s}s")
