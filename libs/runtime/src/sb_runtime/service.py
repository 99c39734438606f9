"""The plumbing every service shares, wired once: pool + migrations, producer, outbox relay, the
service's ``Deps``, one faststream broker with every consumer (single-message and batch), background
loops and the HTTP app's lifespan.

A service's ``app.py`` builds a ``ServiceShell`` with a ``build_deps`` hook, subscribes a handler
``async def on_x(message, deps)`` (or a ``Batch``) per topic, adds its loops and router, and hands
``shell.http_app(...)`` to uvicorn. Nothing here does I/O before ``start()``. ``/readyz`` answers
ready only when the database answers and every consumer is running.
"""
from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

import asyncpg
from fastapi import FastAPI
from faststream.kafka import KafkaBroker
from prometheus_client import CollectorRegistry, Counter

from sb_runtime import db, housekeeping, kafka, kafka_batch, revocation
from sb_runtime.http import add_error_handlers, add_operational_routes
from sb_runtime.logging import configure_logging, get_logger
from sb_runtime.migrate import apply_migrations
from sb_runtime.outbox import OutboxRelay
from sb_runtime.settings import ServiceSettings

log = get_logger(__name__)

Handler = Callable[[kafka.Inbound, Any], Awaitable[None]]  # (message, deps)
BuildDeps = Callable[["ServiceShell"], Awaitable[Any]]


@dataclass(frozen=True)
class Batch:
    """A batch handler: ``decode`` turns one message into an item (raising means poison, dead-lettered
    alone), then ``handler(items, deps)`` applies a batch of them (``kafka_batch.BatchEdge``)."""

    decode: kafka_batch.Decode
    handler: Callable[[list[Any], Any], Awaitable[None]]


@dataclass
class Subscription:
    topic: str
    group_id: str
    handler: Handler | Batch
    options: dict = field(default_factory=dict)


class ServiceShell:
    def __init__(self, name: str, settings: ServiceSettings, schema: str, migrations: Path | None,
                 topics: list[str], configure_logs: bool = True, library_migrations: dict[str, Path] | None = None,
                 build_deps: BuildDeps | None = None):
        self.name = name
        self.settings = settings
        self.schema = schema
        self.migrations = migrations
        self.library_migrations = library_migrations or {}
        self.topics = topics
        self.registry = CollectorRegistry()
        self.messages = Counter("sb_messages_total", "Messages handled", ["topic", "outcome"], registry=self.registry)
        self.pruned = Counter("sb_housekeeping_pruned_total", "Rows pruned past their retention", ["table"],
                              registry=self.registry)
        self.pool: asyncpg.Pool | None = None
        self.producer = None
        self.broker: KafkaBroker | None = None
        self.dead_letters: kafka.DeadLetters | None = None
        self.relay: OutboxRelay | None = None
        self.deps: Any = None
        self._build_deps = build_deps
        self._subscriptions: list[Subscription] = []
        self._consumers: dict[str, Any] = {}  # group id -> faststream subscriber
        self._loops: list[Callable[[], Awaitable[None]]] = []
        self._tasks: list[asyncio.Task] = []
        self._started_hooks: list[Callable[[], Awaitable[None]]] = []
        self._stop_hooks: list[Callable[[], Awaitable[None]]] = []
        if configure_logs:
            configure_logging(name, settings.log_level, settings.log_json)

    def subscribe(self, topic: str, group_id: str, handler: Handler | Batch | None = None, *,
                  process: kafka.Process | None = None, **options) -> None:
        """Consume ``topic`` in ``group_id`` with ``handler(message, deps)`` (or a ``Batch``); subscriptions
        sharing a group (and options) become one consumer. ``process(message)`` is the older form."""
        if handler is None:
            handler = _without_deps(process)
        self._subscriptions.append(Subscription(topic, group_id, handler, options))

    def loop(self, run: Callable[[], Awaitable[None]]) -> None:
        """A background coroutine started after the plumbing is up and cancelled on stop."""
        self._loops.append(run)

    def on_started(self, hook: Callable[[], Awaitable[None]]) -> None:
        self._started_hooks.append(hook)

    def on_stop(self, hook: Callable[[], Awaitable[None]]) -> None:
        """Run after everything else has stopped (e.g. close what ``build_deps`` opened)."""
        self._stop_hooks.append(hook)

    async def start(self) -> None:
        dsn = self.settings.database_url.get_secret_value()
        connection = await asyncpg.connect(dsn)
        try:
            applied = await apply_migrations(connection, self.schema, self.migrations, self.library_migrations)
        finally:
            await connection.close()
        self.pool = await db.create_pool(dsn, self.schema, self.settings.database_pool_min, self.settings.database_pool_max)
        await revocation.install(self.pool, self.settings.token_revocation_schema)
        bootstrap = self.settings.kafka_bootstrap_servers
        partitions = self.settings.topic_partitions
        consumed = {s.topic for s in self._subscriptions}
        await kafka.ensure_topics(bootstrap, {t: partitions for t in set(self.topics) | consumed}
                                  | {kafka.dlq_topic(t): 1 for t in consumed}, self.settings.kafka_max_message_bytes)
        self.producer = kafka.new_producer(bootstrap)
        await self.producer.start()
        self.dead_letters = kafka.DeadLetters(self.producer, self.name)
        self.relay = OutboxRelay(self.pool, self.producer, self.schema, poll_interval_s=self.settings.relay_poll_interval_s,
                                 max_event_bytes=self.settings.outbox_max_event_bytes, source=self.name,
                                 registry=self.registry)
        self._tasks.append(asyncio.create_task(self.relay.run(), name=f"{self.name}-relay"))
        self._tasks.append(asyncio.create_task(self._guarded(self._housekeeping), name=f"{self.name}-housekeeping"))
        if self._build_deps is not None:
            self.deps = await self._build_deps(self)
        self.broker = KafkaBroker(bootstrap, logger=None)
        self.wire(self.broker)
        if self._subscriptions:
            await self.broker.start()
        for run in self._loops:
            self._tasks.append(asyncio.create_task(self._guarded(run), name=f"{self.name}-loop"))
        for hook in self._started_hooks:
            await hook()
        log.info("service.started", migrations_applied=len(applied), consumers=len(self._consumers))

    def wire(self, broker: KafkaBroker) -> None:
        """Register every consumer on ``broker`` (``start`` does; a wiring test passes a ``TestKafkaBroker``'s,
        with ``deps`` and ``dead_letters`` set by hand)."""
        for (group_id, _), group in self._grouped().items():
            self._consumers[group_id] = self._consumer(broker, group_id, group)

    def _consumer(self, broker: KafkaBroker, group_id: str, group: list[Subscription]) -> Any:
        names = [s.topic for s in group]
        options = self.settings.consumer_options() | group[0].options
        batch = group[0].handler
        if isinstance(batch, Batch):
            edge = kafka_batch.BatchEdge(batch.decode, self._counted_batch(names, batch), self.dead_letters)
            return kafka_batch.subscribe_batch(broker, names, group_id, edge,
                                               max_records=self.settings.batch_max_records,
                                               batch_timeout_ms=self.settings.batch_timeout_ms, **options)
        process = kafka.by_topic({s.topic: self._counted(s) for s in group})
        return kafka.subscribe(broker, names, group_id, kafka.ConsumerEdge(process, self.dead_letters), **options)

    def _grouped(self) -> dict[tuple[str, str], list[Subscription]]:
        """Subscriptions sharing a group id and options become one consumer."""
        groups: dict[tuple[str, str], list[Subscription]] = {}
        for subscription in self._subscriptions:
            groups.setdefault((subscription.group_id, repr(sorted(subscription.options.items()))), []).append(subscription)
        for group in groups.values():
            if isinstance(group[0].handler, Batch) and any(s.handler != group[0].handler for s in group):
                raise ValueError(f"the topics of batch consumer {group[0].group_id} need one Batch handler")
        return groups

    def _counted(self, subscription: Subscription) -> kafka.Process:
        async def process(message: kafka.Inbound) -> None:
            try:
                await subscription.handler(message, self.deps)
            except Exception:
                self.messages.labels(subscription.topic, "error").inc()
                raise
            self.messages.labels(subscription.topic, "ok").inc()

        return process

    def _counted_batch(self, names: list[str], batch: Batch) -> kafka_batch.Apply:
        label = ",".join(names)

        async def apply(items: list[Any]) -> None:
            try:
                await batch.handler(items, self.deps)
            except Exception:
                self.messages.labels(label, "error").inc(len(items))
                raise
            self.messages.labels(label, "ok").inc(len(items))

        return apply

    async def _housekeeping(self) -> None:
        settings = self.settings
        retention = housekeeping.Retention(timedelta(seconds=settings.outbox_retention_s),
                                           timedelta(seconds=settings.inbox_retention_s))
        await housekeeping.run(self.pool, retention, settings.housekeeping_interval_s, on_pruned=self._count_pruned)

    def _count_pruned(self, pruned: housekeeping.Pruned) -> None:
        self.pruned.labels("outbox").inc(pruned.outbox)
        self.pruned.labels("inbox").inc(pruned.inbox)

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
        for hook in self._stop_hooks:
            with contextlib.suppress(Exception):
                await hook()
        log.info("service.stopped")

    async def ready(self) -> dict[str, bool]:
        database = self.pool is not None and await db.ping(self.pool)
        checks = {"database": database, "broker": self.producer is not None}
        for group_id, consumer in self._consumers.items():
            checks[f"consumer:{group_id}"] = _running(consumer)
        return checks

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
        app.state.shell = self
        revocation.refuse_revoked_tokens(app, lambda: self.pool, self.settings.token_revocation_schema)
        return app


def _running(consumer: Any) -> bool:
    """The consumer joined (faststream started it) and its consume loop has not died."""
    return bool(getattr(consumer, "running", False)) and not any(task.done() for task in consumer.tasks)


def _without_deps(process: kafka.Process | None) -> Handler:
    if process is None:
        raise TypeError("subscribe needs a handler")

    async def handler(message: kafka.Inbound, _deps: Any) -> None:
        await process(message)

    return handler

