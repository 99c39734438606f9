"""Wiring for payment-reconciler: settings in, a runnable ASGI app out. No I/O before startup."""
from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI

import sb_writeback
from contracts import topics
from sb_runtime.service import Batch, ServiceShell
from sb_writeback import resumer
from sb_writeback.access import CredentialsSource
from sb_writeback.subscribers import on_setup
from sb_writeback.topics import TopicNames, consumer_group

from payment_reconciler import routes
from payment_reconciler.deps import build_deps
from payment_reconciler.resumer import resume_payment
from payment_reconciler.settings import Settings
from payment_reconciler.subscribers import decode_payment, on_invoice, on_payments

SERVICE = "payment-reconciler"
SCHEMA = "payment_reconciler"
MIGRATIONS = Path(__file__).resolve().parents[2] / "migrations"
LIBRARY_MIGRATIONS = sb_writeback.MIGRATIONS
SUBSCRIPTIONS = {
    topics.PLATFORM_PAYMENTS: Batch(decode_payment, on_payments),
    topics.INVOICES: on_invoice,
    topics.NETSUITE_SETUP: on_setup,
}
SUBSCRIBES = list(SUBSCRIPTIONS)
PUBLISHES = [topics.PAYMENT_OUTCOMES, topics.ACTION_ITEMS]


def create_app(settings: Settings, credentials: CredentialsSource | None = None) -> FastAPI:
    """``credentials`` replaces the connector's endpoint (tests: an emulator account's TBA credentials)."""
    names = TopicNames(settings.topic_suffix)
    shell = ServiceShell(SERVICE, settings, SCHEMA, MIGRATIONS, topics=[names(t) for t in SUBSCRIBES + PUBLISHES],
                         library_migrations=LIBRARY_MIGRATIONS,
                         build_deps=lambda shell: build_deps(shell, settings, credentials))
    for topic, handler in SUBSCRIPTIONS.items():
        shell.subscribe(names(topic), consumer_group(settings.consumer_group, topic, SUBSCRIBES[0]), handler)
    shell.loop(lambda: resumer.run(shell.deps, resume_payment, settings.resume_interval_s))
    app = shell.http_app("suitebridge payment-reconciler")
    app.include_router(routes.router())
    return app
