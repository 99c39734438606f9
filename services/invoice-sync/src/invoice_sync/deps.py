"""What the handlers and the read API need at run time, built once the pool exists (``build_deps``)."""
from __future__ import annotations

from dataclasses import dataclass

import asyncpg

from sb_runtime.service import ServiceShell

from invoice_sync.settings import Settings


@dataclass(frozen=True)
class Deps:
    pool: asyncpg.Pool
    page_size_max: int = 500
    lanes: int = 2  # concurrent transactions per batch


async def build_deps(shell: ServiceShell, settings: Settings) -> Deps:
    return Deps(pool=shell.pool, page_size_max=settings.page_size_max, lanes=settings.lanes)
