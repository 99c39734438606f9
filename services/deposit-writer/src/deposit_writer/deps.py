"""What the use cases need, built once the shell's pool is up (``build_deps``; tests pass fakes)."""
from __future__ import annotations

from dataclasses import dataclass

from sb_runtime.service import ServiceShell
from sb_writeback.access import CredentialsSource
from sb_writeback.deps import WriteBackDeps
from sb_writeback.lanes import Lanes
from sb_writeback.wiring import writeback_deps
from sb_writeback.work import WorkTable

from deposit_writer.settings import Settings
from deposit_writer.store import PgPayouts

PAYOUTS = WorkTable("payout", "payouts")


@dataclass(frozen=True, kw_only=True)
class Deps(WriteBackDeps):
    work: WorkTable = PAYOUTS
    service: str = "deposit-writer"


async def build_deps(shell: ServiceShell, settings: Settings, credentials: CredentialsSource | None,
                     lanes: Lanes) -> Deps:
    """The service's Deps once the shell's pool is up (``ServiceShell(build_deps=...)``)."""
    return await writeback_deps(Deps, shell, settings, credentials, lanes, PgPayouts, PAYOUTS)
