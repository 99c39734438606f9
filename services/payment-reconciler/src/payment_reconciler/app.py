"""Wiring for payment-reconciler: settings in, a runnable ASGI app out. No I/O before startup."""
from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI

from contracts import topics
from sb_runtime.service import ServiceShell

from payment_reconciler import subscribers
from payment_reconciler.settings import Settings

SERVICE = "payment-reconciler"
SCHEMA = "payment_reconciler"
MIGRATIONS = Path(__file__).resolve().parents[2] / "migrations"
SUBSCRIBES = [topics.PLATFORM_PAYMENTS, topics.INVOICES, topics.NETSUITE_SETUP]
PUBLISHES = [topics.PAYMENT_OUTCOMES, topics.ACTION_ITEMS]


def create_app(settings: Settings) -> FastAPI:
    shell = ServiceShell(SERVICE, settings, SCHEMA, MIGRATIONS, topics=SUBSCRIBES + PUBLISHES)
    for topic in SUBSCRIBES:
        shell.subscribe(topic, group_id=SERVICE, process=subscribers.log_event)
    app = shell.http_app("suitebridge payment-reconciler")
    app.state.shell = shell
    return app
