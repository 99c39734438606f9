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
    own_groups: tuple[tuple[str, str], ...] = ()  # (topic, suffix): read by the group "<name>-<suffix>"

    @property
    def group(self) -> str:
        """The consumer group id: the service name (one group per service, whatever it scales to)."""
        return self.name

    def group_for(self, topic: str) -> str:
        """The consumer group reading ``topic`` (the service's, unless the topic has one of its own)."""
        suffix = dict(self.own_groups).get(topic)
        return f"{self.name}-{suffix}" if suffix else self.name


SERVICES: dict[str, Service] = {s.name: s for s in (
    Service("connector", "connector", "connector", "CONNECTOR_", (topics.ACTION_ITEMS,)),
    Service("invoice-sync", "invoice_sync", "invoice_sync", "INVOICE_SYNC_",
            (topics.NETSUITE_INVOICES, topics.NETSUITE_CUSTOMERS, topics.NETSUITE_PAYMENTS,
             topics.NETSUITE_INVOICE_PDFS, topics.NETSUITE_INVOICE_PDFS_V1, topics.PAYMENT_OUTCOMES),
            own_groups=((topics.NETSUITE_INVOICE_PDFS, "pdfs"),)),
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
    groups: dict[str, tuple[str, ...]] = {}
    for service in SERVICES.values():
        for topic in service.subscribes:
            groups[service.group_for(topic)] = (*groups.get(service.group_for(topic), ()), topic)
    return groups
