"""Wiring for invoice-sync: settings in, a runnable ASGI app out. No I/O before startup."""
from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI

from contracts import topics
from sb_runtime.service import Batch, ServiceShell

from invoice_sync import routes
from invoice_sync.deps import build_deps
from invoice_sync.settings import Settings
from invoice_sync.subscribers import decode, on_changes

SERVICE = "invoice-sync"
SCHEMA = "invoice_sync"
MIGRATIONS = Path(__file__).resolve().parents[2] / "migrations"
# One batch consumer for all six topics: a batch is applied in a few transactions (subscribers.py).
# NETSUITE_INVOICE_PDFS_V1 (bytes inline) is no longer published; what is still on it is applied.
SUBSCRIPTIONS = {topic: Batch(decode, on_changes) for topic in (
    topics.NETSUITE_INVOICES, topics.NETSUITE_CUSTOMERS, topics.NETSUITE_PAYMENTS, topics.NETSUITE_INVOICE_PDFS,
    topics.NETSUITE_INVOICE_PDFS_V1, topics.PAYMENT_OUTCOMES)}
SUBSCRIBES = list(SUBSCRIPTIONS)
# PDFs by reference are fetched from the connector: their own consumer group (<group>-pdfs), so a
# connector that cannot answer delays PDFs only, never invoices, customers or payments.
OWN_GROUP = {topics.NETSUITE_INVOICE_PDFS: "pdfs"}
PUBLISHES = [topics.INVOICES, topics.CUSTOMERS, topics.ACTION_ITEMS]


def create_app(settings: Settings, schema: str = SCHEMA) -> FastAPI:
    """``schema`` lets tests and rebuilds run a second, independent copy (e.g. a replay into a fresh schema)."""
    shell = ServiceShell(SERVICE, settings, schema, MIGRATIONS, topics=SUBSCRIBES + PUBLISHES,
                         build_deps=lambda shell: build_deps(shell, settings))
    for topic, handler in SUBSCRIPTIONS.items():
        group = f"{settings.consumer_group}-{OWN_GROUP[topic]}" if topic in OWN_GROUP else settings.consumer_group
        shell.subscribe(topic, group, handler)
    app = shell.http_app("suitebridge invoice-sync")
    app.include_router(routes.router())
    return app
