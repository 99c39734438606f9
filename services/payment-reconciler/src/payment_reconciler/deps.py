"""What the use cases need, built once in ``app.py`` (tests pass their own)."""
from __future__ import annotations

from dataclasses import dataclass

from sb_runtime.service import ServiceShell
from sb_writeback.access import CredentialsSource
from sb_writeback.deps import WriteBackDeps
from sb_writeback.lanes import Lanes
from sb_writeback.wiring import writeback_deps
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
    return await writeback_deps(Deps, shell, settings, credentials, lanes, PgPayments, PAYMENTS,
                                invoice_unknown_after_s=settings.invoice_unknown_after_s)
