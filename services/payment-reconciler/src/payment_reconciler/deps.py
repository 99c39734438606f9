"""What the use cases need, built once in ``app.py`` (tests pass their own)."""
from __future__ import annotations

from dataclasses import dataclass

from sb_runtime.service import ServiceShell
from sb_writeback.access import CredentialsSource
from sb_writeback.deps import WriteBackDeps
from sb_writeback.lanes import Lanes
from sb_writeback.store import PgStore
from sb_writeback.topics import TopicNames
from sb_writeback.wiring import open_clients
from sb_writeback.work import WorkTable

from payment_reconciler.settings import Settings
from payment_reconciler.store import PgPayments

PAYMENTS = WorkTable("payment", "payments")


@dataclass(frozen=True, kw_only=True)
class Deps(WriteBackDeps):
    invoice_unknown_after_s: float = 300.0  # a payment waiting for its invoice becomes an action item
    work: WorkTable = PAYMENTS
    service: str = "payment-reconciler"


async def build_deps(shell: ServiceShell, settings: Settings, credentials: CredentialsSource | None,
                     lanes: Lanes) -> Deps:
    """The service's Deps once the shell's pool is up (``ServiceShell(build_deps=...)``)."""
    names = TopicNames(settings.topic_suffix)
    clients = await open_clients(shell, settings, credentials)
    return Deps(store=PgStore(shell.pool, PgPayments, PAYMENTS, names), clients=clients, lanes=lanes,
                topics=names, stale_pending_s=settings.stale_pending_s, invoice_unknown_after_s=settings.invoice_unknown_after_s)
