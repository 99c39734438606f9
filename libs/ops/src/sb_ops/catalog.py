"""What the tool knows about each service: consumer group, schema, the topics it consumes.

Libraries never import services, so this is a copy; ``tests/ops/test_catalog.py`` checks it
against every service's ``app.py`` and ``settings.py`` so the two cannot drift.
"""
from __future__ import annotations

from dataclasses import dataclass

from contracts import topics


@dataclass(frozen=True)
class Service:
    name: str
    package: str
    schema: str
    env_prefix: str
    subscribes: tuple[str, ...]
    libraries: tuple[str, ...] = ()  # libraries whose migrations the service applies before its own

    @property
    def group(self) -> str:
        """The consumer group id: the service name (one group per service, whatever it scales to)."""
        return self.name


SERVICES: dict[str, Service] = {s.name: s for s in (
    Service("connector", "connector", "connector", "CONNECTOR_", (topics.ACTION_ITEMS,)),
    Service("invoice-sync", "invoice_sync", "invoice_sync", "INVOICE_SYNC_",
            (topics.NETSUITE_INVOICES, topics.NETSUITE_CUSTOMERS, topics.NETSUITE_PAYMENTS,
             topics.NETSUITE_INVOICE_PDFS, topics.PAYMENT_OUTCOMES)),
    Service("payment-reconciler", "payment_reconciler", "payment_reconciler", "PAYMENT_RECONCILER_",
            (topics.PLATFORM_PAYMENTS, topics.INVOICES, topics.NETSUITE_SETUP), ("sb_writeback",)),
    Service("deposit-writer", "deposit_writer", "deposit_writer", "DEPOSIT_WRITER_",
            (topics.PLATFORM_PAYOUTS, topics.PAYMENT_OUTCOMES, topics.NETSUITE_SETUP), ("sb_writeback",)),
)}


class UnknownService(Exception):
    pass


def service(name: str) -> Service:
    try:
        return SERVICES[name]
    except KeyError:
        raise UnknownService(f"unknown service {name!r}; one of: {', '.join(SERVICES)}") from None


def consumed_topics() -> dict[str, tuple[str, ...]]:
    """Consumer group → the topics it reads."""
    return {s.group: s.subscribes for s in SERVICES.values()}
