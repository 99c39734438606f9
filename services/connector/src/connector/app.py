"""Wiring for connector: settings in, a runnable ASGI app out. No I/O before startup."""
from __future__ import annotations

from pathlib import Path

import httpx
from fastapi import FastAPI
from netsuite_client import PostgresBudgetStore, install_schema

from contracts import topics
from sb_runtime.logging import get_logger
from sb_runtime.service import ServiceShell

from connector import api, dashboard, expiry, internal_api, netsuite_calls
from connector.connections import Connections
from connector.crypto import TokenCipher
from connector.deps import Deps
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

log = get_logger(__name__)


def create_app(settings: Settings, deps: Deps | None = None, configure_logs: bool = True) -> FastAPI:
    schema = settings.database_schema
    async def build_deps(_: ServiceShell) -> Deps:
        return deps  # the connector's Deps fill in on start (_start); tests pass their own

    shell = ServiceShell(SERVICE, settings, schema, MIGRATIONS, topics=SUBSCRIBES + PUBLISHES,
                         configure_logs=configure_logs, build_deps=build_deps)
    deps = deps or Deps(settings, shell, TokenCipher.from_setting(settings.token_encryption_keys.get_secret_value()))
    deps.shell = shell
    group = SERVICE if schema == SCHEMA else f"{SERVICE}-{schema}"
    for topic, handler in SUBSCRIPTIONS.items():
        shell.subscribe(topic, group, handler)
    shell.on_started(lambda: _start(deps))
    shell.loop(Scheduler(deps).run)
    shell.loop(lambda: expiry.run(deps))
    app = shell.http_app("suitebridge connector")
    api.register(app, deps)
    dashboard.register(app, deps)
    app.state.deps = deps
    app.state.internal_app = internal_api.create_internal_app(deps)
    return app


async def _start(deps: Deps) -> None:
    """Clients and the shared NetSuite budget. Stored tokens are re-encrypted only by the explicit
    ``python -m connector rotate-keys`` once every instance has the new key (never on start)."""
    settings = deps.settings
    deps.http = deps.http or httpx.AsyncClient(timeout=settings.netsuite_timeout_s)
    netsuite_calls.watch(deps.http)
    await install_schema(deps.pool, settings.netsuite_budget_schema)
    budgets = PostgresBudgetStore(deps.pool, schema=settings.netsuite_budget_schema)
    await budgets.start()
    deps.connections = Connections(settings, deps.cipher, deps.pool, deps.http, budgets, deps.clock)
    deps.ready.set()
