"""Wiring for payment-reconciler: settings in, a runnable ASGI app out. No I/O before startup."""
from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI

from contracts import topics
from sb_runtime.kafka_batch import BatchSubscriptions
from sb_runtime.service import ServiceShell
import sb_writeback
from sb_writeback import resumer
from sb_writeback.access import CredentialsSource
from sb_writeback.store import PgStore
from sb_writeback.subscribers import on_setup
from sb_writeback.topics import TopicNames, consumer_group
from sb_writeback.wiring import Lazy, WriteBackResources, close_after_shell

from payment_reconciler import routes
from payment_reconciler.deps import PAYMENTS, Deps
from payment_reconciler.freshness import KafkaInvoiceMapFreshness
from payment_reconciler.resumer import resume_payment
from payment_reconciler.settings import Settings
from payment_reconciler.store import PgPayments
from payment_reconciler.subscribers import decode_payment, on_invoice, on_payments

SERVICE = "payment-reconciler"
SCHEMA = "payment_reconciler"
MIGRATIONS = Path(__file__).resolve().parents[2] / "migrations"
LIBRARY_MIGRATIONS = sb_writeback.MIGRATIONS
SUBSCRIBES = [topics.PLATFORM_PAYMENTS, topics.INVOICES, topics.NETSUITE_SETUP]
PUBLISHES = [topics.PAYMENT_OUTCOMES, topics.ACTION_ITEMS]


def create_app(settings: Settings, credentials: CredentialsSource | None = None) -> FastAPI:
    """``credentials`` replaces the connector's endpoint (tests: an emulator account's TBA credentials)."""
    names = TopicNames(settings.topic_suffix)

    def group(topic: str) -> str:
        return consumer_group(settings.consumer_group, topic, topics.PLATFORM_PAYMENTS)

    shell = ServiceShell(SERVICE, settings, SCHEMA, MIGRATIONS, topics=[names(t) for t in SUBSCRIBES + PUBLISHES],
                         library_migrations=LIBRARY_MIGRATIONS)
    resources = WriteBackResources(settings, credentials)

    async def build() -> Deps:
        freshness = KafkaInvoiceMapFreshness(settings.kafka_bootstrap_servers, names(topics.INVOICES),
                                             group(topics.INVOICES), settings.invoice_map_wait_s)
        await freshness.start()
        resources.close_with(freshness.stop)
        store = PgStore(shell.pool, PgPayments, PAYMENTS, names)
        return Deps(store=store, clients=await resources.clients.get(), freshness=freshness, topics=names,
                    stale_pending_s=settings.stale_pending_s)

    deps = Lazy(build)

    def edge(handler):
        async def process(message) -> None:
            await handler(message, await deps.get())
        return process

    batches = BatchSubscriptions(shell)
    batches.subscribe([names(topics.PLATFORM_PAYMENTS)], group(topics.PLATFORM_PAYMENTS),
                      decode=lambda message: decode_payment(message, names), apply=edge(on_payments),
                      max_records=settings.batch_max_records)
    shell.loop(batches.run)
    shell.subscribe(names(topics.INVOICES), group_id=group(topics.INVOICES), process=edge(on_invoice))
    shell.subscribe(names(topics.NETSUITE_SETUP), group_id=group(topics.NETSUITE_SETUP), process=edge(on_setup))

    async def resume() -> None:
        ready = await deps.get()
        await resumer.run(ready, lambda tenant_id, payment_id: resume_payment(ready, tenant_id, payment_id),
                          settings.resume_interval_s)

    shell.loop(resume)
    app = shell.http_app("suitebridge payment-reconciler")
    routes.add_routes(app, deps.get, settings)
    close_after_shell(app, resources.close)
    app.state.shell = shell
    return app
