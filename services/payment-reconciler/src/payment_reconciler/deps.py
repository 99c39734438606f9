"""What the use cases need, built once in ``app.py`` (tests pass their own)."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from contracts import topics
from sb_runtime.service import ServiceShell
from sb_writeback.access import CredentialsSource
from sb_writeback.deps import WriteBackDeps
from sb_writeback.lanes import Lanes
from sb_writeback.store import PgStore
from sb_writeback.topics import TopicNames, consumer_group
from sb_writeback.wiring import open_clients
from sb_writeback.work import WorkTable

from payment_reconciler.freshness import KafkaInvoiceMapFreshness
from payment_reconciler.settings import Settings
from payment_reconciler.store import PgPayments

PAYMENTS = WorkTable("payment", "payments")


class InvoiceMapFreshness(Protocol):
    async def caught_up(self) -> None:
        """Return once the invoice map holds everything published before this call (else TransientError)."""
        ...


@dataclass(frozen=True, kw_only=True)
class Deps(WriteBackDeps):
    freshness: InvoiceMapFreshness
    work: WorkTable = PAYMENTS
    service: str = "payment-reconciler"


async def build_deps(shell: ServiceShell, settings: Settings, credentials: CredentialsSource | None,
                     lanes: Lanes) -> Deps:
    """The service's Deps once the shell's pool is up (``ServiceShell(build_deps=...)``)."""
    names = TopicNames(settings.topic_suffix)
    freshness = KafkaInvoiceMapFreshness(
        settings.kafka_bootstrap_servers, names(topics.INVOICES),
        consumer_group(settings.consumer_group, topics.INVOICES, topics.PLATFORM_PAYMENTS), settings.invoice_map_wait_s)
    clients = await open_clients(shell, settings, credentials)
    await freshness.start()
    shell.on_stop(freshness.stop)
    return Deps(store=PgStore(shell.pool, PgPayments, PAYMENTS, names), clients=clients, lanes=lanes, freshness=freshness,
                topics=names, stale_pending_s=settings.stale_pending_s)
