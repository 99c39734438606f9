"""Wiring for connector: settings in, a runnable ASGI app out. No I/O before startup."""
from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI

from contracts import topics
from sb_runtime.service import ServiceShell

from connector import expiry, internal_api, routes
from connector.deps import Seams, build_deps
from connector.poller import Scheduler
from connector.settings import Settings
from connector.subscribers import on_action_item

SERVICE = "connector"
SCHEMA = "connector"
MIGRATIONS = Path(__file__).resolve().parents[2] / "migrations"
SUBSCRIPTIONS = {topics.ACTION_ITEMS: on_action_item}
SUBSCRIBES = list(SUBSCRIPTIONS)
PUBLISHES = [topics.NETSUITE_INVOICES, topics.NETSUITE_CUSTOMERS, topics.NETSUITE_PAYMENTS, topics.NETSUITE_INVOICE_PDFS,
             topics.NETSUITE_SETUP, topics.ACTION_ITEMS]


def create_app(settings: Settings, seams: Seams = Seams(), configure_logs: bool = True) -> FastAPI:
    """``seams`` replaces the poll observer, the clock and the HTTP client (tests). The internal listener's
    app (``app.state.internal_app``) shares the shell and its ``Deps``."""
    schema = settings.database_schema
    shell = ServiceShell(SERVICE, settings, schema, MIGRATIONS, topics=SUBSCRIBES + PUBLISHES,
                         configure_logs=configure_logs, build_deps=lambda shell: build_deps(shell, settings, seams))
    group = SERVICE if schema == SCHEMA else f"{SERVICE}-{schema}"
    for topic, handler in SUBSCRIPTIONS.items():
        shell.subscribe(topic, group, handler)
    shell.loop(lambda: Scheduler(shell.deps).run())
    shell.loop(lambda: expiry.run(shell.deps))
    app = shell.http_app("suitebridge connector")
    app.include_router(routes.router())
    app.state.internal_app = internal_api.create_internal_app(shell, routes.internal_router())
    return app
