"""Wiring for invoice-sync: settings in, a runnable ASGI app out. No I/O before startup."""
from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI

from contracts import topics
from sb_runtime.http import BearerAuth
from sb_runtime.kafka_batch import BatchSubscriptions
from sb_runtime.service import ServiceShell

from invoice_sync import api, subscribers
from invoice_sync.deps import Deps
from invoice_sync.settings import Settings

SERVICE = "invoice-sync"
SCHEMA = "invoice_sync"
MIGRATIONS = Path(__file__).resolve().parents[2] / "migrations"
SUBSCRIBES = [topics.NETSUITE_INVOICES, topics.NETSUITE_CUSTOMERS, topics.NETSUITE_PAYMENTS, topics.NETSUITE_INVOICE_PDFS, topics.PAYMENT_OUTCOMES]
PUBLISHES = [topics.INVOICES, topics.CUSTOMERS, topics.ACTION_ITEMS]


def create_app(settings: Settings, deps: Deps | None = None, schema: str = SCHEMA) -> FastAPI:
    """``schema`` lets tests and rebuilds run a second, independent copy (e.g. a replay into a fresh schema)."""
    shell = ServiceShell(SERVICE, settings, schema, MIGRATIONS, topics=SUBSCRIBES + PUBLISHES)
    auth = BearerAuth(settings.admin_token.get_secret_value(), settings.token_signing_key.get_secret_value())

    def current() -> Deps:
        return deps or Deps(pool=shell.pool, auth=auth, page_size_max=settings.page_size_max, lanes=settings.lanes)

    async def apply(events):
        await subscribers.apply(events, current())

    batches = BatchSubscriptions(shell)
    batches.subscribe(SUBSCRIBES, settings.consumer_group, subscribers.decode, apply,
                      max_records=settings.batch_max_records, batch_timeout_ms=settings.batch_timeout_ms)
    shell.loop(batches.run)
    app = shell.http_app("suitebridge invoice-sync")
    app.include_router(api.router(current))
    app.state.shell = shell
    return app
