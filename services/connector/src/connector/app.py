"""Wiring for connector: settings in, a runnable ASGI app out. No I/O before startup."""
from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI

from contracts import topics
from sb_runtime.service import ServiceShell

from connector import subscribers
from connector.settings import Settings

SERVICE = "connector"
SCHEMA = "connector"
MIGRATIONS = Path(__file__).resolve().parents[2] / "migrations"
SUBSCRIBES = [topics.ACTION_ITEMS]
PUBLISHES = [topics.NETSUITE_INVOICES, topics.NETSUITE_CUSTOMERS, topics.NETSUITE_PAYMENTS, topics.NETSUITE_INVOICE_PDFS, topics.NETSUITE_SETUP]


def create_app(settings: Settings) -> FastAPI:
    shell = ServiceShell(SERVICE, settings, SCHEMA, MIGRATIONS, topics=SUBSCRIBES + PUBLISHES)
    for topic in SUBSCRIBES:
        shell.subscribe(topic, group_id=SERVICE, process=subscribers.log_event)
    app = shell.http_app("suitebridge connector")
    app.state.shell = shell
    return app
