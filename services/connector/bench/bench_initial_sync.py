"""The initial sync at NetSuite's real pace -> reports/connector-initial-sync.json.

    .venv/bin/python services/connector/bench/bench_initial_sync.py [--invoices 20000]
        [--latencies 500 2000] [--limits 5 15]

Real NetSuite answers a SuiteQL page in 0.5-3 s and allows an account a handful of concurrent
requests, so what a partner waits for is how much of that budget the initial sync uses. One
emulator account is seeded once; for each (latency, account limit) it is given that latency
and limit, a fresh connector process (own database, own tenant, default slice and budget
settings, PDFs off) connects to it, and the benchmark measures from the end of the connect
flow until the tenant is ``connected``:
- NetSuite calls per second against the ceiling (limit / latency) and the utilisation;
- requests in flight at the emulator: average (its in-flight time integral / the window) and max;
- 429 answers (the connector's budget stays below the account limit: expected 0);
- invoices published per second and the projected hours for 1,000,000 invoices (linear).

The 1,000,000-invoice run is a slow benchmark: ``--invoices 1000000 --latencies 500``
(about an hour at 60 % of the ceiling at limit 15; hours at limit 5). ``make bench`` runs the
defaults (20,000 invoices, 500 ms and 2 s, limits 5 and 15).
"""
from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
import time
from pathlib import Path

import asyncpg
import httpx
import psutil
from devstack.ports import free_port
from devstack.stack import REPO_ROOT, start_stack

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_connector import connect, connector_env, run_and_report, start_connector, start_emulator, status, stop  # noqa: E402


async def one_run(stack, emulator: str, account: dict, port: int, invoices: int, latency_ms: int, limit: int) -> dict:
    account_id = account["account_id"]
    httpx.patch(f"{emulator}/_emulator/accounts/{account_id}",
                json={"latency_ms": latency_ms, "concurrency_limit": limit}).raise_for_status()
    tenant = f"bench-{latency_ms}-{limit}-{os.getpid()}"
    database_url = await stack.postgres.create_database(f"bench_initial_{latency_ms}_{limit}_{os.getpid()}")
    callback = f"http://127.0.0.1:{port}/v1/oauth/netsuite/callback"
    env = connector_env(database_url, stack.kafka_bootstrap_servers, port, emulator, account, callback,
                        CONNECTOR_NETSUITE_ACCOUNT_CONCURRENCY_LIMIT=str(limit))
    connector = f"http://127.0.0.1:{port}"
    process = start_connector(env, port)
    watched = psutil.Process(process.pid)
    peak = watched.memory_info().rss
    try:
        await connect(connector, account_id, tenant)
        httpx.post(f"{emulator}/_emulator/accounts/{account_id}/stats/reset").raise_for_status()
        started = sampled_at = time.monotonic()
        timeline, busy = [], 0.0  # requests in flight, averaged over each second: where the budget went idle
        while (await status(connector, tenant))["status"] != "connected":
            peak = max(peak, watched.memory_info().rss)
            if time.monotonic() - sampled_at >= 1.0:
                now = time.monotonic()
                total = httpx.get(f"{emulator}/_emulator/accounts/{account_id}/stats").json()["in_flight_seconds"]
                timeline.append(round((total - busy) / (now - sampled_at), 1))
                busy, sampled_at = total, now
            await asyncio.sleep(0.1)
        seconds = time.monotonic() - started
        stats = httpx.get(f"{emulator}/_emulator/accounts/{account_id}/stats").json()
    finally:
        stop(process)
    database = await asyncpg.connect(database_url)
    try:
        published = await database.fetchval(
            "SELECT count(*) FROM connector.outbox WHERE topic = 'netsuite.invoices.v1'")
    finally:
        await database.close()
    calls = sum(stats["requests"].values())
    ceiling = limit / (latency_ms / 1000)
    return {
        "latency_ms": latency_ms, "account_limit": limit, "invoices": invoices,
        "seconds": round(seconds, 1), "netsuite_calls": calls,
        "suiteql_calls": stats["requests"].get("POST /query/v1/suiteql", 0),
        "calls_per_s": round(calls / seconds, 2), "ceiling_calls_per_s": round(ceiling, 2),
        "utilisation": round(calls / seconds / ceiling, 3),
        "avg_in_flight": round(stats["in_flight_seconds"] / seconds, 2), "max_in_flight": stats["max_in_flight"],
        "answers_429": stats["status_counts"].get("429", 0),
        "invoices_published": published, "invoices_per_s": round(published / seconds, 1),
        "projected_hours_1m_invoices": round(seconds * 1_000_000 / invoices / 3600, 2),
        "peak_rss_mb": round(peak / 2**20, 1),
        "in_flight_per_second": timeline,
    }


async def main(arguments) -> dict:
    stack = start_stack(broker_log="bench-initial-sync.log")
    emulator_port, port = free_port(), free_port()  # one connector port: the emulator knows one callback
    emulator_process = start_emulator(emulator_port, f"http://127.0.0.1:{port}/v1/oauth/netsuite/callback")
    emulator = f"http://127.0.0.1:{emulator_port}"
    runs = []
    try:
        account = httpx.post(f"{emulator}/_emulator/accounts", timeout=3600, json={
            "seed": {"customers": 500, "invoices": arguments.invoices, "months": 60, "random_seed": 42}}).json()
        for latency_ms in arguments.latencies:
            for limit in arguments.limits:
                runs.append(await one_run(stack, emulator, account, port, arguments.invoices, latency_ms, limit))
                print(json.dumps(runs[-1]), file=sys.stderr, flush=True)
    finally:
        stop(emulator_process)
        stack.stop()
    return {
        "benchmark": "initial sync at NetSuite's real pace (emulator latency and account limit)",
        "machine": {"cpus": os.cpu_count(), "memory_gb": round(psutil.virtual_memory().total / 2**30, 1)},
        "runs": runs,
        "target": {"utilisation_at_500ms": 0.6},
    }


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--invoices", type=int, default=20_000)
    parser.add_argument("--latencies", type=int, nargs="+", default=[500, 2000])
    parser.add_argument("--limits", type=int, nargs="+", default=[5, 15])
    parser.add_argument("--report", default=str(REPO_ROOT / "reports" / "connector-initial-sync.json"))
    run_and_report(main, parser.parse_args())
