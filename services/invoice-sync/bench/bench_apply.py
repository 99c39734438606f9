"""Benchmark: InvoiceChanged events (with lines) applied per second through the real broker and database.

The backlog of an initial sync: N invoices are produced to ``netsuite.invoices.v1`` first, then
invoice-sync starts on a fresh schema and consumer group and drains it. "Applied" means the
platform invoice row is committed (with its inbox row and outbox message); the outbox relay
publishing ``suitebridge.invoices.v1`` runs concurrently and is reported too. Then the same kind of
batches go straight into a fresh schema (no broker, no relay): ``apply_path_only_per_s``.

    .venv/bin/python services/invoice-sync/bench/bench_apply.py [--invoices 50000] [--lines 3]

Uses DATABASE_URL / KAFKA_BOOTSTRAP_SERVERS when set, else the embedded stack. Prints JSON and
writes it to reports/invoice-sync.json.
"""
from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import time
import uuid
from pathlib import Path

import asyncpg
import psutil

from contracts import topics
from devstack.stack import start_stack
from sb_runtime.db import create_pool
from sb_runtime.kafka import ensure_topics, new_producer
from sb_runtime.migrate import apply_migrations

from invoice_sync import subscribers
from invoice_sync.app import MIGRATIONS, create_app
from invoice_sync.deps import pg_deps
from invoice_sync.settings import Settings
from invoice_sync.testing import invoice_changed, version

REPORT = Path(__file__).resolve().parents[3] / "reports" / "invoice-sync.json"


async def produce(bootstrap: str, tenants: list[str], invoices: int, lines: int) -> float:
    producer = new_producer(bootstrap)
    await producer.start()
    started = time.perf_counter()
    try:
        pending = []
        for n in range(invoices):
            tenant = tenants[n % len(tenants)]
            event = invoice_changed(tenant, version(str(100000 + n), minute=n / 600, lines=lines,
                                                   remaining="100.00" if n % 3 else None, customer=str(n % 400)))
            pending.append(await producer.send(topics.NETSUITE_INVOICES, event.to_bytes(), key=event.kafka_key()))
            if len(pending) >= 2000:
                await asyncio.gather(*pending)
                pending.clear()
        await asyncio.gather(*pending)
    finally:
        await producer.stop()
    return time.perf_counter() - started


async def count(connection: asyncpg.Connection, schema: str) -> tuple[int, int]:
    invoices = await connection.fetchval(f'SELECT count(*) FROM "{schema}".invoices')
    unpublished = await connection.fetchval(f'SELECT count(*) FROM "{schema}".outbox WHERE published_at IS NULL')
    return invoices, unpublished


async def drain(database_url: str, bootstrap: str, invoices: int, batch: int) -> dict:
    schema = f"invoice_sync_bench_{uuid.uuid4().hex[:8]}"
    settings = Settings(database_url=database_url, kafka_bootstrap_servers=bootstrap, log_level="warning",
                        consumer_group=f"invoice-sync-bench-{uuid.uuid4().hex[:8]}", batch_max_records=batch,
                        relay_poll_interval_s=0.05)
    app = create_app(settings, schema=schema)
    process = psutil.Process()
    monitor = await asyncpg.connect(database_url)
    peak_rss = 0
    await app.state.shell.start()
    try:
        first_at = applied_at = published_at = None
        cpu_first = cpu_applied = 0.0
        while published_at is None:
            await asyncio.sleep(0.1)
            peak_rss = max(peak_rss, process.memory_info().rss)
            applied, unpublished = await count(monitor, schema)
            if first_at is None and applied:
                first_at, cpu_first = time.perf_counter(), time.process_time()
            if applied_at is None and applied >= invoices:
                applied_at, cpu_applied = time.perf_counter(), time.process_time()
            if applied_at is not None and unpublished == 0:
                published_at = time.perf_counter()
    finally:
        await app.state.shell.stop()
        await monitor.close()
    return {"applied_s": applied_at - first_at, "published_s": published_at - first_at, "peak_rss_mb": peak_rss / 2**20,
            "cpu_s": cpu_applied - cpu_first}


async def apply_path(database_url: str, tenants: list[str], invoices: int, lines: int, batch: int) -> tuple[float, float]:
    """The same batches straight into the database (no broker, no relay): the service's own ceiling."""
    schema = f"invoice_sync_direct_{uuid.uuid4().hex[:8]}"
    connection = await asyncpg.connect(database_url)
    await apply_migrations(connection, schema, MIGRATIONS)
    await connection.close()
    pool = await create_pool(database_url, schema, max_size=4)
    deps = pg_deps(pool)
    received = []
    for n in range(invoices):
        event = invoice_changed(tenants[n % len(tenants)], version(str(200000 + n), minute=n / 600, lines=lines))
        received.append(subscribers.Received(event, event.to_bytes(), n % 6))
    started, cpu_started = time.perf_counter(), time.process_time()
    try:
        for start in range(0, invoices, batch):
            await subscribers.on_changes(received[start:start + batch], deps)
    finally:
        await pool.close()
    return invoices / (time.perf_counter() - started), time.process_time() - cpu_started


async def main(invoices: int, lines: int, tenant_count: int, batch: int) -> dict:
    load_before = os.getloadavg()[0]
    stack = start_stack(broker_log="broker-bench.log")
    database = f"sbbench_{uuid.uuid4().hex[:8]}"
    database_url = await stack.postgres.create_database(database)
    try:
        bootstrap = stack.kafka_bootstrap_servers
        await ensure_topics(bootstrap, {topics.NETSUITE_INVOICES: 6})
        tenants = [f"bench-{uuid.uuid4().hex[:6]}-{n}" for n in range(tenant_count)]
        produce_s = await produce(bootstrap, tenants, invoices, lines)
        result = await drain(database_url, bootstrap, invoices, batch)
        direct_invoices = min(invoices, 20_000)
        direct, direct_cpu_s = await apply_path(database_url, tenants, direct_invoices, lines, batch)
    finally:
        await stack.postgres.drop_database(database)
        stack.stop()
    return {
        "benchmark": "invoice-sync apply (InvoiceChanged with lines, backlog drain)",
        "invoices": invoices, "lines_per_invoice": lines, "tenants": tenant_count, "batch_max_records": batch,
        "applied_per_s": round(invoices / result["applied_s"]),
        "published_per_s": round(invoices / result["published_s"]),
        "target_applied_per_s": 5000,
        "apply_path_only_per_s": round(direct),
        # Python CPU of the service process per invoice: far less noisy than wall time on a shared machine.
        "service_cpu_us_per_invoice": round(result["cpu_s"] / invoices * 1e6),
        "apply_path_cpu_us_per_invoice": round(direct_cpu_s / direct_invoices * 1e6),
        "load_average_1m": [round(load, 1) for load in (load_before, os.getloadavg()[0])],
        "produce_per_s": round(invoices / produce_s),
        "peak_rss_mb": round(result["peak_rss_mb"], 1),
        "cpus": os.cpu_count(), "python": platform.python_version(),
        "broker": "external" if os.environ.get("KAFKA_BOOTSTRAP_SERVERS") else "embedded tansu",
    }


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--invoices", type=int, default=50_000)
    parser.add_argument("--lines", type=int, default=3)
    parser.add_argument("--tenants", type=int, default=20)
    parser.add_argument("--batch", type=int, default=500)
    arguments = parser.parse_args()
    report = asyncio.run(main(arguments.invoices, arguments.lines, arguments.tenants, arguments.batch))
    REPORT.parent.mkdir(parents=True, exist_ok=True)
    REPORT.write_text(json.dumps(report, indent=2) + "\n")
    print(json.dumps(report, indent=2))
