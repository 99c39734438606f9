"""A running invoice-sync (real PostgreSQL, real broker) per test module, and helpers to talk to it."""
from __future__ import annotations

import uuid
from dataclasses import dataclass

import asyncpg
import httpx
import pytest_asyncio

from sb_runtime.kafka import new_producer
from sb_runtime.tokens import mint_tenant_token
from sb_runtime.testing import wait_until

from invoice_sync.app import create_app
from invoice_sync.settings import Settings

ADMIN_TOKEN = "admin-token-for-tests"
SIGNING_KEY = "signing-key-for-tests"


@dataclass
class RunningService:
    app: object
    schema: str
    database_url: str
    kafka_bootstrap: str
    client: httpx.AsyncClient

    def tenant_headers(self, tenant_id: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {mint_tenant_token(SIGNING_KEY, tenant_id)}"}

    async def get(self, path: str, tenant_id: str | None = None, **params) -> httpx.Response:
        headers = self.tenant_headers(tenant_id) if tenant_id else {"Authorization": f"Bearer {ADMIN_TOKEN}"}
        return await self.client.get(path, headers=headers, params={k: v for k, v in params.items() if v is not None})

    async def invoice(self, tenant_id: str, netsuite_id: str) -> dict | None:
        response = await self.get(f"/v1/tenants/{tenant_id}/invoices", tenant_id, netsuite_id=netsuite_id)
        items = response.json()["items"]
        return items[0] if items else None

    async def invoice_when(self, tenant_id: str, netsuite_id: str, condition, message: str) -> dict:
        async def matching():
            invoice = await self.invoice(tenant_id, netsuite_id)
            return invoice if invoice is not None and condition(invoice) else None

        return await wait_until(matching, timeout_s=60, message=message)


def settings_for(database_url: str, kafka_bootstrap: str, group: str) -> Settings:
    return Settings(database_url=database_url, kafka_bootstrap_servers=kafka_bootstrap, consumer_group=group,
                    admin_token=ADMIN_TOKEN, token_signing_key=SIGNING_KEY, relay_poll_interval_s=0.05,
                    batch_timeout_ms=20, database_pool_max=5, log_level="warning")


async def start_service(database_url: str, kafka_bootstrap: str) -> RunningService:
    suffix = uuid.uuid4().hex[:10]
    schema = f"invoice_sync_{suffix}"
    app = create_app(settings_for(database_url, kafka_bootstrap, f"invoice-sync-test-{suffix}"), schema=schema)
    await app.state.shell.start()
    client = httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://invoice-sync")
    return RunningService(app, schema, database_url, kafka_bootstrap, client)


async def stop_service(service: RunningService) -> None:
    await service.client.aclose()
    await service.app.state.shell.stop()


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def service(database_url, kafka_bootstrap):
    running = await start_service(database_url, kafka_bootstrap)
    yield running
    await stop_service(running)


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def produce(kafka_bootstrap):
    producer = new_producer(kafka_bootstrap)
    await producer.start()

    async def send(*events) -> None:
        for event in events:
            await producer.send_and_wait(event.TOPIC, event.to_bytes(), key=event.kafka_key())

    yield send
    await producer.stop()


async def applied(database_url: str, schema: str, event_ids: list[str]) -> int:
    """How many of ``event_ids`` the service has claimed in its inbox (applied, in the same transaction)."""
    connection = await asyncpg.connect(database_url)
    try:
        return await connection.fetchval(f'SELECT count(*) FROM "{schema}".inbox WHERE event_id = ANY($1::text[])',
                                         event_ids)
    finally:
        await connection.close()


async def table_dump(database_url: str, schema: str, tenant_id: str) -> dict[str, list]:
    """Every state row of one tenant, without per-stream sequence numbers (see the replay decision)."""
    connection = await asyncpg.connect(database_url)
    try:
        dump = {}
        for table, order in [("invoices", "netsuite_id"), ("invoice_versions", "netsuite_id, last_modified"),
                             ("invoice_archives", "netsuite_id"), ("invoice_pdfs", "netsuite_id"),
                             ("platform_payments", "payment_id"), ("deposits", "netsuite_id"),
                             ("customers", "netsuite_id")]:
            rows = await connection.fetch(f'SELECT * FROM "{schema}".{table} WHERE tenant_id = $1 ORDER BY {order}',
                                          tenant_id)
            dump[table] = [{k: v for k, v in dict(row).items() if k != "version"} for row in rows]
        return dump
    finally:
        await connection.close()
