"""What the use cases need, built once in ``app.py`` (tests pass their own credentials)."""
from __future__ import annotations

from dataclasses import dataclass

from sb_writeback.deps import WriteBackDeps
from sb_writeback.work import WorkTable

PAYOUTS = WorkTable("payout", "payouts")


@dataclass(frozen=True, kw_only=True)
class Deps(WriteBackDeps):
    work: WorkTable = PAYOUTS
    service: str = "deposit-writer"
