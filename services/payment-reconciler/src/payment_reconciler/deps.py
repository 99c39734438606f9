"""What the use cases need, built once in ``app.py`` (tests pass their own)."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from sb_writeback.deps import WriteBackDeps
from sb_writeback.work import WorkTable

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
