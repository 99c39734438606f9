"""Helpers for tests: read a topic and wait on the real broker (no mocks), or run a service's consumers
on faststream's in-memory broker (``wired``)."""
from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import Any

from aiokafka import AIOKafkaConsumer, TopicPartition


async def read_topic(bootstrap_servers: str, topic: str, *, at_least: int, timeout_s: float = 30.0) -> list[Any]:
    """All records of ``topic`` from offset 0, waiting until there are ``at_least`` (or timeout)."""
    consumer = AIOKafkaConsumer(bootstrap_servers=bootstrap_servers, enable_auto_commit=False)
    await consumer.start()
    records: list[Any] = []
    try:
        deadline = time.monotonic() + timeout_s
        partitions = None
        while partitions is None and time.monotonic() < deadline:
            found = consumer.partitions_for_topic(topic)
            if found:
                partitions = [TopicPartition(topic, p) for p in sorted(found)]
            else:
                await consumer._client.force_metadata_update()  # noqa: SLF001 - test helper
                await asyncio.sleep(0.1)
        if not partitions:
            return records
        consumer.assign(partitions)
        await consumer.seek_to_beginning(*partitions)
        while len(records) < at_least and time.monotonic() < deadline:
            batch = await consumer.getmany(timeout_ms=200)
            for part in batch.values():
                records.extend(part)
        # Drain what is already there beyond at_least, without waiting further.
        batch = await consumer.getmany(timeout_ms=100)
        for part in batch.values():
            records.extend(part)
    finally:
        await consumer.stop()
    return records


async def wait_until(condition: Callable[[], Awaitable[Any]], timeout_s: float = 30.0,
                     interval_s: float = 0.05, message: str = "condition") -> Any:
    """Poll ``condition`` until it returns something truthy; fail with ``message`` on timeout."""
    deadline = time.monotonic() + timeout_s
    while True:
        value = await condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout_s}s waiting for {message}")
        await asyncio.sleep(interval_s)


class served:
    """``async with served(app) as url``: run an ASGI app (with its lifespan unless ``lifespan="off"``) on
    ``port`` of the loopback interface (a free one by default)."""

    def __init__(self, app, startup_timeout_s: float = 60.0, port: int = 0, lifespan: str = "on"):
        import uvicorn

        self._config = uvicorn.Config(app, host="127.0.0.1", port=port, log_config=None, lifespan=lifespan,
                                      access_log=False)
        self._server = uvicorn.Server(self._config)
        self._timeout = startup_timeout_s
        self._task: asyncio.Task | None = None

    async def __aenter__(self) -> str:
        self._task = asyncio.create_task(self._server.serve())
        deadline = time.monotonic() + self._timeout
        while not self._server.started:
            if self._task.done():
                self._task.result()
                raise RuntimeError("server stopped during startup")
            if time.monotonic() > deadline:
                raise TimeoutError("server did not start")
            await asyncio.sleep(0.02)
        port = self._server.servers[0].sockets[0].getsockname()[1]
        return f"http://127.0.0.1:{port}"

    async def __aexit__(self, *exc) -> None:
        self._server.should_exit = True
        if self._task is not None:
            await self._task


class RecordingProducer:
    """Stands in for the shell's Kafka producer in wiring tests: keeps what would have been sent."""

    def __init__(self) -> None:
        self.sent: list[tuple[str, bytes, bytes | None, dict[str, bytes]]] = []  # topic, value, key, headers

    async def send_and_wait(self, topic: str, value: bytes, key: bytes | None = None, headers=None) -> None:
        self.sent.append((topic, value, key, dict(headers or ())))


@contextlib.asynccontextmanager
async def wired(shell: Any, deps: Any) -> AsyncIterator[tuple[Any, RecordingProducer]]:
    """The shell's consumers on faststream's in-memory ``TestKafkaBroker``, handling with ``deps``.

    Yields the test broker (``await broker.publish(raw_bytes, topic=...)`` runs the handler) and the
    producer the dead letters went to. Nothing else of the shell starts: no database, no broker.
    """
    from faststream.kafka import KafkaBroker, TestKafkaBroker

    from sb_runtime.kafka import DeadLetters

    producer = RecordingProducer()
    shell.deps, shell.dead_letters = deps, DeadLetters(producer, shell.name)
    broker = KafkaBroker()
    shell.wire(broker)
    async with TestKafkaBroker(broker) as test_broker:
        yield test_broker, producer


@contextlib.asynccontextmanager
async def migrated_pool(database_url: str, schema: str, migrations: Path | None,
                        libraries: dict[str, Path] | None = None) -> AsyncIterator[Any]:
    """A pool on ``schema`` after applying the runtime's, the ``libraries``' and the service's migrations."""
    import asyncpg

    from sb_runtime.db import create_pool
    from sb_runtime.migrate import apply_migrations

    connection = await asyncpg.connect(database_url)
    try:
        await apply_migrations(connection, schema, migrations, libraries)
    finally:
        await connection.close()
    pool = await create_pool(database_url, schema)
    try:
        yield pool
    finally:
        await pool.close()


class TcpProxy:
    """A loopback TCP proxy to ``host:port`` that a test can cut and restore: a real outage of what is
    behind it (e.g. PostgreSQL), bounded by the test. ``cut()`` drops every open connection and stops
    listening (new connections are refused); ``restore()`` listens again on the same port."""

    def __init__(self, connect: Callable[[], Awaitable[tuple[asyncio.StreamReader, asyncio.StreamWriter]]]) -> None:
        self._connect = connect  # opens the connection to what is behind the proxy
        self._server: asyncio.AbstractServer | None = None
        self._writers: set[asyncio.StreamWriter] = set()
        self.port = 0

    async def start(self) -> TcpProxy:
        self._server = await asyncio.start_server(self._accept, "127.0.0.1", self.port, reuse_address=True)
        self.port = self._server.sockets[0].getsockname()[1]
        return self

    async def _accept(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            up_reader, up_writer = await self._connect()
        except OSError:
            writer.close()
            return
        self._writers |= {writer, up_writer}
        await asyncio.gather(self._pipe(reader, up_writer), self._pipe(up_reader, writer))

    async def _pipe(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while data := await reader.read(65536):
                writer.write(data)
                await writer.drain()
        except (OSError, asyncio.CancelledError):
            pass
        finally:
            self._writers.discard(writer)
            writer.close()

    async def cut(self) -> None:
        server, self._server = self._server, None
        if server is not None:
            server.close()
        for writer in list(self._writers):
            writer.transport.abort()
        self._writers.clear()
        if server is not None:
            await server.wait_closed()

    async def restore(self) -> None:
        await self.start()

    async def close(self) -> None:
        await self.cut()


async def postgres_proxy(database_url: str) -> tuple[TcpProxy, str]:
    """A started ``TcpProxy`` in front of the server of ``database_url`` (TCP or a Unix socket
    directory in ``?host=``), and the URL of the same database through the proxy."""
    from urllib.parse import parse_qs, urlsplit, urlunsplit

    parts = urlsplit(database_url)
    host = parse_qs(parts.query).get("host", [parts.hostname or "127.0.0.1"])[0]
    port = parts.port or 5432
    if host.startswith("/"):
        proxy = TcpProxy(lambda: asyncio.open_unix_connection(f"{host}/.s.PGSQL.{port}"))
    else:
        proxy = TcpProxy(lambda: asyncio.open_connection(host, port))
    await proxy.start()
    credentials = parts.netloc.rpartition("@")[0]
    netloc = f"{credentials}@127.0.0.1:{proxy.port}" if credentials else f"127.0.0.1:{proxy.port}"
    return proxy, urlunsplit(parts._replace(netloc=netloc, query=""))
