"""Benchmark: client throughput against the governance ceiling (limit / latency).

Starts the NetSuite emulator as a separate process (as in production, the client does not
share a GIL with the server) with 300 ms latency and a concurrency limit of 5, keeps more
callers than slots busy with record GETs for ~20 s and prints JSON: calls/s, the ceiling
5 / 0.3 = 16.7 calls/s and the achieved share (target >= 0.9).

    .venv/bin/python libs/netsuite-client/bench_client.py [--seconds 20] [--budget local|postgres]

``--budget postgres`` uses the shared PostgreSQL budget (``DATABASE_URL``, default
``postgresql://postgres@127.0.0.1:5432/postgres``; a throw-away schema is created and dropped).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import time
import uuid

import socket
import subprocess
import sys
from contextlib import contextmanager

import asyncpg
import httpx

from netsuite_client import LocalBudget, NetSuiteClient, PostgresBudgetStore, install_schema
from netsuite_client.testing import tenant_config_for_emulator

LATENCY_MS = 300
LIMIT = 5


class EmulatorProcess:
    """The emulator's control surface over HTTP (same calls as netsuite_emulator.testing)."""

    def __init__(self, url: str) -> None:
        self.url = url
        self._http = httpx.Client(base_url=url, timeout=60)

    def _call(self, method: str, path: str, body: dict | None = None) -> dict | None:
        response = self._http.request(method, path, json=body)
        response.raise_for_status()
        return response.json() if response.content else None

    def create_account(self, **options) -> dict:
        return self._call("POST", "/_emulator/accounts", options)

    def patch_account(self, account_id: str, **changes) -> None:
        self._call("PATCH", f"/_emulator/accounts/{account_id}", changes)

    def stats(self, account_id: str) -> dict:
        return self._call("GET", f"/_emulator/accounts/{account_id}/stats")

    def reset_stats(self, account_id: str) -> None:
        self._call("POST", f"/_emulator/accounts/{account_id}/stats/reset")


@contextmanager
def emulator_process():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    command = [sys.executable, "-m", "netsuite_emulator", "serve", "--port", str(port), "--log-level", "warning"]
    process = subprocess.Popen(command)
    emulator = EmulatorProcess(f"http://127.0.0.1:{port}")
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                emulator._http.get("/_emulator/accounts/none")
                break
            except httpx.TransportError:
                if time.monotonic() > deadline or process.poll() is not None:
                    raise RuntimeError("the emulator did not start") from None
                time.sleep(0.1)
        yield emulator
    finally:
        process.terminate()
        process.wait(timeout=10)


async def run(emulator, account: dict, seconds: float, budget_kind: str, callers: int) -> dict:
    config = tenant_config_for_emulator(emulator.url, account, account_concurrency_limit=LIMIT, budget_limit=LIMIT)
    pool = store = None
    if budget_kind == "postgres":
        schema = f"nsbench_{uuid.uuid4().hex[:8]}"
        dsn = os.environ.get("DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
        pool = await asyncpg.create_pool(dsn, min_size=2, max_size=LIMIT + 3)
        await install_schema(pool, schema)
        store = PostgresBudgetStore(pool, schema=schema)
        await store.start()
        budget = store.for_tenant(config.tenant_key, LIMIT)
    else:
        budget = LocalBudget(LIMIT)
    async with httpx.AsyncClient() as http:
        client = NetSuiteClient(config, http=http, budget=budget)
        ids = (await client.records.list("customer", limit=50)).ids
        emulator.reset_stats(account["account_id"])
        calls = 0

        async def caller(n: int) -> None:
            nonlocal calls
            while True:
                await client.records.get("customer", ids[(calls + n) % len(ids)])
                calls += 1

        # Count calls completed inside a fixed window; in-flight ones at the end are cancelled.
        tasks = [asyncio.create_task(caller(n)) for n in range(callers)]
        started = time.monotonic()
        await asyncio.sleep(seconds)
        completed, elapsed = calls, time.monotonic() - started
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
    if store is not None:
        await store.close()
        await pool.execute(f"DROP SCHEMA {schema} CASCADE")
        await pool.close()
    stats = emulator.stats(account["account_id"])
    ceiling = LIMIT / (LATENCY_MS / 1000)
    return {
        "budget": budget_kind,
        "seconds": round(elapsed, 2),
        "calls": completed,
        "calls_per_s": round(completed / elapsed, 2),
        "ceiling_calls_per_s": round(ceiling, 2),
        "share_of_ceiling": round(completed / elapsed / ceiling, 3),
        "emulator_max_in_flight": stats["max_in_flight"],
        "emulator_429s": stats["status_counts"].get("429", 0),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--budget", choices=["local", "postgres"], default="local")
    parser.add_argument("--callers", type=int, default=20)
    args = parser.parse_args()
    with emulator_process() as emulator:
        account = emulator.create_account(seed={"customers": 50, "invoices": 0, "random_seed": 1})
        emulator.patch_account(account["account_id"], latency_ms=LATENCY_MS, concurrency_limit=LIMIT)
        result = asyncio.run(run(emulator, account, args.seconds, args.budget, args.callers))
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
