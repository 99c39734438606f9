"""What the handlers and the read API need at run time, built once the pool exists."""
from __future__ import annotations

from dataclasses import dataclass

import asyncpg

from sb_runtime.http import BearerAuth


@dataclass(frozen=True)
class Deps:
    pool: asyncpg.Pool
    auth: BearerAuth
    page_size_max: int = 500
    lanes: int = 2  # concurrent transactions per batch
