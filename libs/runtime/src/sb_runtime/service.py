"""The plumbing every service shares, wired once: pool + migrations, producer, outbox relay,
faststream broker with its subscribers, background loops and the HTTP app's lifespan.

A service's ``app.py`` builds a ``ServiceShell``, registers its subscriptions and loops, and
hands ``shell.http_app(...)`` to uvicorn. Nothing here does I/O before ``start()``.
"""
from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path

import asyncpg
from fastapi import FastAPI
from faststream.kafka import KafkaBroker
from prometheus_client import CollectorRegistry, Counter

from sb_runtime import db, kafka, revocation
from sb_runtime.http import add_error_handlers, add_operational_routes
from sb_runtime.logging import configure_logging, get_logger
from sb_runtime.migrate import apply_migrations
from sb_runtime.outbox import OutboxRelay
from sb_runtime.settings import ServiceSettings

log = get_logger(__name__)


@dataclass
class Subscription:
    topic: str
    group_id: str
    process: kafka.Process
    options: dict = field(default_factory=dict)


class ServiceShell:
    def __init__(self, name: str, settings: ServiceSettings, schema: str, migrations: Path | None,
                 topics: list[str], configure_logs: bool = True):
        self.name = name
        self.settings = settings
        self.schema = schema
        self.migrations = migrations
        self.topics = topics
        self.registry = CollectorRegistry()
        self.messages = Counter("sb_messages_total", "Messages handled", ["topic", "outcome"], registry=self.registry)
        self.pool: asyncpg.Pool | None = None
        self.producer = None
        self.broker: KafkaBroker | None = None
        self.dead_letters: kafka.DeadLetters | None = None
        self.relay: OutboxRelay | None = None
        self._subscriptions: list[Subscription] = []
        self._loops: list[Callable[[], Awaitable[None]]] = []
        self._tasks: list[asyncio.Task] = []
        self._started_hooks: list[Callable[[], Awaitable[None]]] = []
        if configure_logs:
            configure_logging(name, settings.log_level, settings.log_json)

    def subscribe(self, topic: str, group_id: str, process: kafka.Process, **options) -> None:
        self._subscriptions.append(Subscription(topic, group_id, process, options))

    def loop(self, run: Callable[[], Awaitable[None]]) -> None:
        """A background coroutine started after the plumbing is up and cancelled on stop."""
        self._loops.append(run)

    def on_started(self, hook: Callable[[], Awaitable[None]]) -> None:
        self._started_hooks.append(hook)

    async def start(self) -> None:
        dsn = self.settings.database_url.get_secret_value()
        connection = await asyncpg.connect(dsn)
        try:
            applied = await apply_migrations(connection, self.schema, self.migrations)
        finally:
            await connection.close()
        self.pool = await db.create_pool(dsn, self.schema, self.settings.database_pool_min, self.settings.database_pool_max)
        await revocation.install(self.pool, self.settings.token_revocation_schema)
        bootstrap = self.settings.kafka_bootstrap_servers
        partitions = self.settings.topic_partitions
        await kafka.ensure_topics(bootstrap, {t: partitions for t in self.topics} | {kafka.dlq_topic(s.topic): 1 for s in self._subscriptions})
        self.producer = kafka.new_producer(bootstrap)
        await self.producer.start()
        self.dead_letters = kafka.DeadLetters(self.producer, self.name)
        self.relay = OutboxRelay(self.pool, self.producer, self.schema, poll_interval_s=self.settings.relay_poll_interval_s)
        self._tasks.append(asyncio.create_task(self.relay.run(), name=f"{self.name}-relay"))
        self.broker = KafkaBroker(bootstrap, logger=None)
        for (group_id, _), group in self._grouped().items():
            process = kafka.by_topic({s.topic: self._counted(s) for s in group})
            edge = kafka.ConsumerEdge(process, self.dead_letters)
            kafka.subscribe(self.broker, [s.topic for s in group], group_id, edge,
                            **(self.settings.consumer_options() | group[0].options))
        if self._subscriptions:
            await self.broker.start()
        for run in self._loops:
            self._tasks.append(asyncio.create_task(self._guarded(run), name=f"{self.name}-loop"))
        for hook in self._started_hooks:
            await hook()
        log.info("service.started", migrations_applied=len(applied), subscriptions=len(self._subscriptions))

    def _grouped(self) -> dict[tuple[str, str], list[Subscription]]:
        """Subscriptions sharing a group id and options become one consumer."""
        groups: dict[tuple[str, str], list[Subscription]] = {}
        for subscription in self._subscriptions:
            groups.setdefault((subscription.group_id, repr(sorted(subscription.options.items()))), []).append(subscription)
        return groups

    def _counted(self, subscription: Subscription) -> kafka.Process:
        async def process(message: kafka.Inbound) -> None:
            try:
                await subscription.process(message)
            except Exception:
                self.messages.labels(subscription.topic, "error").inc()
                raise
            self.messages.labels(subscription.topic, "ok").inc()

        return process

    async def _guarded(self, run: Callable[[], Awaitable[None]]) -> None:
        while True:
            try:
                await run()
                return
            except asyncio.CancelledError:
                raise
            except Exception as error:  # noqa: BLE001 - a loop must not die silently
                log.error("loop.crashed", loop=getattr(run, "__name__", "loop"), error=repr(error))
                await asyncio.sleep(1.0)

    async def stop(self) -> None:
        for task in self._tasks:
            task.cancel()
        for task in self._tasks:
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
        self._tasks.clear()
        if self.broker is not None and self._subscriptions:
            with contextlib.suppress(Exception):
                await self.broker.stop()
        if self.producer is not None:
            with contextlib.suppress(Exception):
                await self.producer.stop()
        if self.pool is not None:
            try:
                await asyncio.wait_for(self.pool.close(), timeout=10)
            except (asyncio.TimeoutError, asyncio.CancelledError):
                log.warning("service.pool_close_timeout")
                self.pool.terminate()
        log.info("service.stopped")

    async def ready(self) -> dict[str, bool]:
        database = self.pool is not None and await db.ping(self.pool)
        return {"database": database, "broker": self.producer is not None}

    def http_app(self, title: str) -> FastAPI:
        @contextlib.asynccontextmanager
        async def lifespan(_: FastAPI):
            await self.start()
            try:
                yield
            finally:
                await self.stop()

        app = FastAPI(title=title, lifespan=lifespan)
        add_error_handlers(app)
        add_operational_routes(app, self.ready, self.registry)
        revocation.refuse_revoked_tokens(app, lambda: self.pool, self.settings.token_revocation_schema)
        return app
