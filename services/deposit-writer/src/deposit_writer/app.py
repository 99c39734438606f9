"""Wiring for deposit-writer: settings in, a runnable ASGI app out. No I/O before startup."""
from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI

from contracts import topics
from sb_runtime.service import ServiceShell
import sb_writeback
from sb_writeback import resumer
from sb_writeback.access import CredentialsSource
from sb_writeback.store import PgStore
from sb_writeback.subscribers import on_setup
from sb_writeback.topics import TopicNames, consumer_group
from sb_writeback.wiring import Lazy, WriteBackResources, close_after_shell

from deposit_writer import routes
from deposit_writer.deps import PAYOUTS, Deps
from deposit_writer.resumer import resume_payout
from deposit_writer.settings import Settings
from deposit_writer.store import PgPayouts
from deposit_writer.subscribers import on_payment_outcome, on_payout

SERVICE = "deposit-writer"
SCHEMA = "deposit_writer"
MIGRATIONS = Path(__file__).resolve().parents[2] / "migrations"
LIBRARY_MIGRATIONS = sb_writeback.MIGRATIONS
SUBSCRIBES = [topics.PLATFORM_PAYOUTS, topics.PAYMENT_OUTCOMES, topics.NETSUITE_SETUP]
PUBLISHES = [topics.PAYOUT_OUTCOMES, topics.ACTION_ITEMS]
SUBSCRIPTIONS = {topics.PLATFORM_PAYOUTS: on_payout, topics.PAYMENT_OUTCOMES: on_payment_outcome,
                 topics.NETSUITE_SETUP: on_setup}


def create_app(settings: Settings, credentials: CredentialsSource | None = None) -> FastAPI:
    """``credentials`` replaces the connector's endpoint (tests: an emulator account's TBA credentials)."""
    names = TopicNames(settings.topic_suffix)
    shell = ServiceShell(SERVICE, settings, SCHEMA, MIGRATIONS, topics=[names(t) for t in SUBSCRIBES + PUBLISHES],
                         library_migrations=LIBRARY_MIGRATIONS)
    resources = WriteBackResources(settings, credentials)

    async def build() -> Deps:
        store = PgStore(shell.pool, PgPayouts, PAYOUTS, names)
        return Deps(store=store, clients=await resources.clients.get(), topics=names,
                    stale_pending_s=settings.stale_pending_s)

    deps = Lazy(build)

    def edge(handler):
        async def process(message) -> None:
            await handler(message, await deps.get())
        return process

    for topic, handler in SUBSCRIPTIONS.items():
        group = consumer_group(settings.consumer_group, topic, topics.PLATFORM_PAYOUTS)
        shell.subscribe(names(topic), group_id=group, process=edge(handler))

    async def resume() -> None:
        ready = await deps.get()
        # One payout at a time: a tenant's payout decisions are serialised by its lock anyway.
        await resumer.run(ready, lambda tenant_id, payout_id: resume_payout(ready, tenant_id, payout_id),
                          settings.resume_interval_s, concurrency=1)

    shell.loop(resume)
    app = shell.http_app("suitebridge deposit-writer")
    routes.add_routes(app, deps.get, settings)
    close_after_shell(app, resources.close)
    app.state.shell = shell
    return app
