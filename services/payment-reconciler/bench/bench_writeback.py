"""Write-back benchmark: payments written per second against the governance ceiling, and the p95
latency from PaymentReceived to the NetSuite record while below it.

Everything is real and in its own process: PostgreSQL and the broker (the dev stack), the NetSuite
emulator (``python -m netsuite_emulator serve``, latency 300 ms, concurrency limit 5), and
payment-reconciler (``python -m payment_reconciler``) reaching NetSuite with an OAuth 2.0 token
served by a stand-in for the connector's credentials endpoint. Prints JSON and writes
``reports/writeback.json``.

    .venv/bin/python services/payment-reconciler/bench/bench_writeback.py [--payments 300] [--rate 10]
"""
from __future__ import annotations

import argparse
import asyncio
import json
import os
import socket
import statistics
import subprocess
import sys
import time
import uuid
from pathlib import Path

import httpx

from contracts import topics
from contracts.ids import platform_invoice_id
from devstack.stack import start_stack
from sb_writeback.testing import (WriteBackWorld, account_setup_saved, connection_changed, fake_connector,
                                  oauth2_access)

from payment_reconciler.testing import invoice_updated, payment_received

REPORT = Path(__file__).resolve().parents[3] / "reports" / "writeback.json"
LATENCY_MS, LIMIT = 300, 5
ADMIN = "bench-" + uuid.uuid4().hex


class EmulatorProcess:
    """The emulator's control surface over HTTP, the emulator in a process of its own."""

    def __init__(self) -> None:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        self.url = f"http://127.0.0.1:{port}"
        self.process = subprocess.Popen([sys.executable, "-m", "netsuite_emulator", "serve", "--port", str(port),
                                         "--log-level", "warning"], stdout=sys.stderr)
        self.http = httpx.Client(base_url=self.url, timeout=60)
        for _ in range(200):
            try:
                self.http.get("/_emulator/accounts/none")
                return
            except httpx.TransportError:
                time.sleep(0.05)
        raise RuntimeError("the emulator did not start")

    def create_account(self, **options) -> dict:
        return self.http.post("/_emulator/accounts", json=options).raise_for_status().json()

    def patch_account(self, account_id: str, **changes) -> None:
        self.http.patch(f"/_emulator/accounts/{account_id}", json=changes).raise_for_status()

    def stats(self, account_id: str) -> dict:
        return self.http.get(f"/_emulator/accounts/{account_id}/stats").raise_for_status().json()

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=10)


def start_reconciler(database_url: str, bootstrap: str, suffix: str, connector_url: str,
                     budget: int) -> subprocess.Popen:
    settings = {"database_url": database_url, "kafka_bootstrap_servers": bootstrap, "topic_suffix": suffix,
                "consumer_group": f"bench{suffix}", "topic_partitions": "2", "connector_url": connector_url,
                "connector_token": ADMIN, "http_port": "0", "log_level": "warning",
                "netsuite_account_concurrency_limit": str(LIMIT), "netsuite_budget_limit": str(budget)}
    env = {**os.environ, **{f"PAYMENT_RECONCILER_{k.upper()}": v for k, v in settings.items()}}
    return subprocess.Popen([sys.executable, "-m", "payment_reconciler"], env=env, stdout=sys.stderr)


async def written(world: WriteBackWorld, payment_ids: set[str], timeout_s: float) -> dict[str, float]:
    """payment id -> when its NetSuite write was recorded (the outcome's ``recorded_at``)."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        done = {e.data.payment_id: e.data.recorded_at.timestamp() for e in await world.events(topics.PAYMENT_OUTCOMES)
                if e.data.status == "written" and e.data.payment_id in payment_ids}
        if len(done) == len(payment_ids):
            return done
        await asyncio.sleep(0.5)
    raise TimeoutError(f"only {len(done)} of {len(payment_ids)} payments written")


def calls(stats: dict) -> int:
    return sum(n for route, n in stats["requests"].items() if not route.startswith("POST /auth"))


async def measure(emulator: EmulatorProcess, world: WriteBackWorld, invoices: list[str], payments: int,
                  rate: float | None, label: str) -> dict:
    """Publish ``payments`` (all at once, or at ``rate`` per second) and time their NetSuite writes."""
    ids = [f"{label}-{n:04}" for n in range(payments)]
    before = emulator.stats(world.account_id)
    sent: dict[str, float] = {}
    start = time.time()
    for n, payment_id in enumerate(ids):
        if rate:
            await asyncio.sleep(max(0.0, start + n / rate - time.time()))
        sent[payment_id] = time.time()
        await world.send(payment_received(world.tenant_id, payment_id, invoices[n % len(invoices)], "1.00"))
    done = await written(world, set(ids), timeout_s=600)
    after = emulator.stats(world.account_id)
    elapsed = max(done.values()) - min(sent.values())
    latencies = sorted(done[p] - sent[p] for p in ids)
    netsuite_calls = calls(after) - calls(before)
    return {"payments": payments, "offered_per_s": rate, "elapsed_s": round(elapsed, 2),
            "payments_per_s": round(payments / elapsed, 2),
            "netsuite_calls_per_s": round(netsuite_calls / elapsed, 2),
            "latency_p50_s": round(statistics.median(latencies), 3),
            "latency_p95_s": round(latencies[int(0.95 * (len(latencies) - 1))], 3),
            "latency_max_s": round(latencies[-1], 3), "max_in_flight": after["max_in_flight"],
            "http_429": after["status_counts"].get("429", 0) - before["status_counts"].get("429", 0)}


async def bench(args) -> dict:
    stack = start_stack(broker_log="broker-bench.log")
    emulator = EmulatorProcess()
    try:
        database_url = await stack.postgres.create_database(f"bench_{uuid.uuid4().hex[:8]}")
        suffix = f".bench{uuid.uuid4().hex[:6]}"
        async with WriteBackWorld.open(emulator, stack.kafka_bootstrap_servers, "bench-tenant", suffix,
                                       concurrency_limit=LIMIT) as world:
            invoices = []
            for _ in range(60):
                netsuite_id = await world.create_invoice("1000.00")
                invoices.append(platform_invoice_id(world.tenant_id, netsuite_id))
                await world.send(invoice_updated(world.tenant_id, invoices[-1], netsuite_id, "1", "1000.00",
                                                 "1000.00"))
            await world.send(connection_changed(world.tenant_id, world.account_id, "UTC"),
                             account_setup_saved(world.tenant_id, world.account_id))
            access = await oauth2_access(emulator.url, world.account)
            with fake_connector({world.tenant_id: access}, ADMIN) as connector_url:
                process = start_reconciler(database_url, stack.kafka_bootstrap_servers, suffix, connector_url,
                                           args.budget)
                try:
                    await measure(emulator, world, invoices, 5, None, "warmup")
                    emulator.patch_account(world.account_id, latency_ms=LATENCY_MS)
                    throughput = await measure(emulator, world, invoices, args.payments, None, "burst")
                    steady = await measure(emulator, world, invoices, args.steady, args.rate, "steady")
                finally:
                    process.terminate()
                    process.wait(timeout=30)
        ceiling = LIMIT / (LATENCY_MS / 1000)
        return {"netsuite_latency_ms": LATENCY_MS, "concurrency_limit": LIMIT, "budget_limit": args.budget,
                "ceiling_calls_per_s": round(ceiling, 2), "burst": throughput, "steady": steady,
                "burst_share_of_ceiling": round(throughput["netsuite_calls_per_s"] / ceiling, 3)}
    finally:
        emulator.stop()
        stack.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--payments", type=int, default=300, help="burst size (all published at once)")
    parser.add_argument("--steady", type=int, default=150, help="payments published at --rate")
    parser.add_argument("--rate", type=float, default=10.0, help="steady offered load, payments per second")
    parser.add_argument("--budget", type=int, default=LIMIT, help="suitebridge's budget (default: the whole limit)")
    result = asyncio.run(bench(parser.parse_args()))
    REPORT.parent.mkdir(parents=True, exist_ok=True)
    REPORT.write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
