"""Helpers for the ops tests: a small real consumer (ServiceShell + inbox), the CLI in a thread, produce."""
from __future__ import annotations

import asyncio
import json
import os
import uuid
from decimal import Decimal
from pathlib import Path
from types import SimpleNamespace

import asyncpg
import pytest
from aiokafka import AIOKafkaProducer
from typer.testing import CliRunner

from sb_ops import views
from sb_ops.cli import app
from sb_runtime.errors import PermanentError
from sb_runtime.inbox import process_once
from sb_runtime.migrate import apply_migrations
from sb_runtime.outbox import OutboundMessage
from sb_runtime.service import ServiceShell
from sb_runtime.settings import ServiceSettings

MIGRATIONS = Path(__file__).with_name("migrations")


@pytest.fixture
def cli(kafka_bootstrap, database_url, tmp_path):
    """``await cli("replay", ...)`` → click Result; connection flags point at the test stack."""
    views.console.width = 200  # rich would wrap tables at 80 columns under the test runner
    base = ["--stack", str(tmp_path / "no-stack.json"), "--bootstrap-servers", kafka_bootstrap,
            "--database-url", database_url]

    async def run(*args: str):
        result = await asyncio.to_thread(CliRunner().invoke, app, [*base, *args])
        print(result.output)
        if result.exception and not isinstance(result.exception, SystemExit):
            raise result.exception
        return result

    return run


async def prepare(database_url: str, schema: str, tenants: list[str]) -> None:
    connection = await asyncpg.connect(database_url)
    try:
        await apply_migrations(connection, schema, MIGRATIONS)
        await connection.executemany(f'INSERT INTO "{schema}".known_tenant VALUES ($1) ON CONFLICT DO NOTHING',
                                     [(t,) for t in tenants])
    finally:
        await connection.close()


async def produce(bootstrap: str, topic: str, events: list[dict] | list[bytes], partition: int | None = None) -> None:
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, enable_idempotence=False, acks="all")
    await producer.start()
    try:
        for event in events:
            value = event if isinstance(event, bytes) else json.dumps(event).encode()
            key = None if isinstance(event, bytes) else f"{event['tenant_id']}:{event['event_id']}".encode()
            await producer.send_and_wait(topic, value, key=key, partition=partition)
    finally:
        await producer.stop()


def payment(tenant_id: str, amount: str = "10.00") -> dict:
    return {"event_id": str(uuid.uuid4()), "tenant_id": tenant_id, "amount": amount}


async def fetchval(database_url: str, sql: str, *args):
    connection = await asyncpg.connect(database_url)
    try:
        return await connection.fetchval(sql, *args)
    finally:
        await connection.close()


async def fetch(database_url: str, sql: str, *args):
    connection = await asyncpg.connect(database_url)
    try:
        return [dict(r) for r in await connection.fetch(sql, *args)]
    finally:
        await connection.close()


class LedgerConsumer:
    """Applies ``{"event_id", "tenant_id", "amount"}`` once (inbox), writes a row and an outbox event;
    an unknown tenant is a PermanentError (dead-lettered) until the test inserts it ("the fix")."""

    def __init__(self, database_url: str, bootstrap: str, schema: str, group: str, topics: list[str], out_topic: str):
        settings = ServiceSettings(database_url=database_url, kafka_bootstrap_servers=bootstrap, topic_partitions=2,
                                   log_json=True, log_level="warning", kafka_session_timeout_ms=int(
                                       os.environ.get("SUITEBRIDGE_KAFKA_SESSION_TIMEOUT_MS", "10000")))
        self.schema, self.group, self.out_topic = schema, group, out_topic
        self.shell = ServiceShell(f"ops-test-{schema}", settings, schema, MIGRATIONS, topics=[*topics, out_topic])
        for topic in topics:
            self.shell.subscribe(topic, group_id=group, process=self._process)

    async def _process(self, message) -> None:
        body = json.loads(message.value)

        async def effect(connection):
            if not await connection.fetchval("SELECT 1 FROM known_tenant WHERE tenant_id = $1", body["tenant_id"]):
                raise PermanentError(f"unknown tenant {body['tenant_id']}")
            await connection.execute("INSERT INTO applied (event_id, tenant_id, amount) VALUES ($1, $2, $3)",
                                     body["event_id"], body["tenant_id"], Decimal(body["amount"]))
            return [OutboundMessage(self.out_topic, message.value, key=message.key)]

        await process_once(self.shell.pool, self.group, body["event_id"], effect)

    async def __aenter__(self) -> LedgerConsumer:
        await self.shell.start()
        return self

    async def __aexit__(self, *exc) -> None:
        await self.shell.stop()


@pytest.fixture
def ops():
    """The helpers above, for test modules (importlib mode: they cannot import this file)."""
    return SimpleNamespace(prepare=prepare, produce=produce, payment=payment, fetchval=fetchval, fetch=fetch,
                           LedgerConsumer=LedgerConsumer)
