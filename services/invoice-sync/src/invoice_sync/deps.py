"""What the handlers and the read API need at run time, built once the pool exists (``build_deps``)."""
from __future__ import annotations

from dataclasses import dataclass

import asyncpg
import httpx

from sb_runtime.service import ServiceShell

from invoice_sync.pdfs import PdfSource
from invoice_sync.settings import Settings
from invoice_sync.store import PgTransactions, Transactions


@dataclass(frozen=True)
class Deps:
    store: Transactions  # the handlers' (write side); ``testing.fake_deps`` has it in memory
    pool: asyncpg.Pool | None = None  # the read API's
    page_size_max: int = 500
    lanes: int = 2  # concurrent transactions per batch
    pdfs: PdfSource | None = None  # where PDFs sent by reference are fetched


def pg_deps(pool: asyncpg.Pool, **options) -> Deps:
    return Deps(store=PgTransactions(pool), pool=pool, **options)


async def build_deps(shell: ServiceShell, settings: Settings) -> Deps:
    http = httpx.AsyncClient(timeout=settings.connector_timeout_s)
    shell.on_stop(http.aclose)
    pdfs = PdfSource(http, settings.connector_url, settings.connector_token.get_secret_value())
    return pg_deps(shell.pool, pdfs=pdfs, page_size_max=settings.page_size_max, lanes=settings.lanes)
