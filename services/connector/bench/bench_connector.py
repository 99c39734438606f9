"""Connector benchmarks -> reports/connector.json.

    .venv/bin/python services/connector/bench/bench_connector.py [--invoices 200000] [--changed 1000]
        [--lines 0 1 5 10] [--baseline-src DIR] [--connector-src DIR]

Runs the embedded PostgreSQL and broker, the NetSuite emulator and the connector as separate
processes (so the connector's RSS is its own), connects a tenant through the emulator's
authorize form and measures:
- initial sync throughput at zero emulator latency (events published per second, PDFs off);
- peak RSS of the connector process during that initial sync;
- peak RSS against invoices published (a sample every few seconds: where it grows, for extrapolation);
- NetSuite calls to pick up ``--changed`` invoices edited while the connector was stopped
  (SuiteQL calls of the invoice stream: headers + lines; the PDF RESTlet calls are reported apart),
  once per ``--lines`` count: 0 edits the memo only (the seeded lines stay), N gives each changed
  invoice exactly N item lines.

``--baseline-src`` is another checkout's ``services/connector/src`` (e.g. ``git archive main``):
each incremental measurement then runs with it too, on the same account, as "before" beside
"after". ``--connector-src`` runs every connector process of the run with that source (a
"before" initial sync and peak RSS).
"""
from __future__ import annotations

import argparse
import asyncio
import html
import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urljoin

import asyncpg
import httpx
import psutil
from cryptography.fernet import Fernet
from devstack.ports import free_port, wait_for_port
from devstack.stack import REPO_ROOT, start_stack
from netsuite_client import NetSuiteClient
from netsuite_client.testing import tenant_config_for_emulator

ADMIN = "bench-admin"
TENANT = "bench-tenant"
OTHER_STREAMS = 5  # customers, payments, credits, deposits, deletions: one idle query each per poll
ONEWORLD_PROBE = 1  # each connector process asks once whether the account has subsidiaries (not per change)
INVOICE_EVENTS = "SELECT count(*) FROM connector.outbox WHERE topic = 'netsuite.invoices.v1'"
SAMPLE_EVERY_S = 5.0
GIVE_UP_S = 900  # an incremental measurement that never completes is reported, not waited for
VISIBLE_LINES = ("SELECT COUNT(*) AS n FROM transactionline WHERE transaction IN ({ids}) AND mainline = 'F' "
                 "AND taxline = 'F' AND iscogs = 'F' AND kitcomponent = 'F'")


def start_emulator(port: int, callback: str) -> subprocess.Popen:
    process = subprocess.Popen([sys.executable, "-m", "netsuite_emulator", "serve", "--port", str(port),
                                "--oauth-redirect-uri", callback, "--log-level", "warning"])
    wait_for_port("127.0.0.1", port, 30)
    return process


def run_and_report(main, arguments) -> None:
    """Run the benchmark ``main(arguments)``; write its report to ``arguments.report`` and print it."""
    report = asyncio.run(main(arguments))
    Path(arguments.report).parent.mkdir(parents=True, exist_ok=True)
    Path(arguments.report).write_text(json.dumps(report, indent=2) + "\n")
    print(json.dumps(report, indent=2))


def connector_env(database_url: str, bootstrap: str, port: int, emulator: str, account: dict, callback: str,
                  **extra: str) -> dict:
    """The connector's environment against the emulator's account (``extra``: more variables)."""
    template = emulator + "/accounts/{account_id}"
    return {
        "CONNECTOR_DATABASE_URL": database_url, "CONNECTOR_KAFKA_BOOTSTRAP_SERVERS": bootstrap,
        "CONNECTOR_HTTP_PORT": str(port), "CONNECTOR_ADMIN_TOKEN": ADMIN,
        "CONNECTOR_TOKEN_SIGNING_KEY": "bench", "CONNECTOR_TOKEN_ENCRYPTION_KEYS": Fernet.generate_key().decode(),
        "CONNECTOR_NETSUITE_REST_BASE_TEMPLATE": template, "CONNECTOR_NETSUITE_RESTLET_BASE_TEMPLATE": template,
        "CONNECTOR_NETSUITE_APP_BASE_TEMPLATE": template, "CONNECTOR_OAUTH_CLIENT_ID": account["oauth2"]["client_id"],
        "CONNECTOR_OAUTH_CLIENT_SECRET": account["oauth2"]["client_secret"], "CONNECTOR_OAUTH_REDIRECT_URI": callback,
        "CONNECTOR_PDF_INITIAL_SCOPE": "none", "CONNECTOR_LOG_LEVEL": "warning", "CONNECTOR_TOPIC_PARTITIONS": "6",
        **extra,
    }


def start_connector(env: dict, port: int, source: str | None = None) -> subprocess.Popen:
    """``source``: a ``services/connector/src`` to run instead of this checkout's."""
    extra = {"PYTHONPATH": os.pathsep.join(filter(None, [source, os.environ.get("PYTHONPATH")]))} if source else {}
    log = os.environ.get("BENCH_CONNECTOR_LOG")  # where the connector's own log goes (default: nowhere)
    output = open(log, "a") if log else subprocess.DEVNULL  # noqa: SIM115 - the child holds it
    process = subprocess.Popen([sys.executable, "-m", "connector", "serve"], env={**os.environ, **env, **extra},
                               stdout=output, stderr=output)
    wait_for_port("127.0.0.1", port, 60)
    return process


def stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(30)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(10)


async def connect(connector: str, account_id: str, tenant: str = TENANT) -> None:
    headers = {"Authorization": f"Bearer {ADMIN}"}
    async with httpx.AsyncClient(timeout=600) as http:
        started = await http.post(f"{connector}/v1/tenants/{tenant}/netsuite/connect", headers=headers,
                                  json={"account_id": account_id})
        url = started.json()["authorize_url"]
        page = await http.get(url)
        action = html.unescape(re.search(r'action="([^"]+)"', page.text).group(1))
        answer = await http.post(urljoin(url, action), data={"decision": "allow"})
        callback = await http.get(answer.headers["location"])
        assert callback.status_code == 200, callback.text


async def status(connector: str, tenant: str = TENANT) -> dict:
    async with httpx.AsyncClient(timeout=30) as http:
        answer = await http.get(f"{connector}/v1/tenants/{tenant}/netsuite",
                                headers={"Authorization": f"Bearer {ADMIN}"})
        return answer.json()


async def initial_sync(connector: str, process: subprocess.Popen, database: str, emulator: str,
                       account_id: str, emulator_pid: int) -> dict:
    watched = psutil.Process(process.pid)
    emulator_cpu = psutil.Process(emulator_pid).cpu_times()
    peak = watched.memory_info().rss
    started = sampled_at = time.monotonic()
    await connect(connector, account_id)
    connected_at, curve = None, []
    while True:
        peak = max(peak, watched.memory_info().rss)
        if time.monotonic() - sampled_at >= SAMPLE_EVERY_S:
            sampled_at = time.monotonic()
            done = await database.fetchval(INVOICE_EVENTS)
            curve.append([done, round(peak / 2**20, 1)])
        if connected_at is None and (await status(connector))["status"] == "connected":
            connected_at = time.monotonic()
        if connected_at is not None:
            pending = await database.fetchval("SELECT count(*) FROM connector.outbox WHERE published_at IS NULL")
            if pending == 0:
                break
        await asyncio.sleep(0.25)
    published_at = time.monotonic()
    events = await database.fetchval("SELECT count(*) FROM connector.outbox WHERE topic LIKE 'netsuite.%'")
    invoices = await database.fetchval(INVOICE_EVENTS)
    calls = httpx.get(f"{emulator}/_emulator/accounts/{account_id}/stats").json()["requests"]
    cpu = watched.cpu_times()
    emulator_after = psutil.Process(emulator_pid).cpu_times()
    return {
        "connector_cpu_seconds": round(cpu.user + cpu.system, 1),
        "emulator_cpu_seconds": round(emulator_after.user + emulator_after.system - emulator_cpu.user
                                      - emulator_cpu.system, 1),
        "events": events, "invoice_events": invoices,
        "seconds_to_connected": round(connected_at - started, 2),
        "seconds_to_published": round(published_at - started, 2),
        "events_per_second": round(events / (published_at - started), 1),
        "invoices_per_second": round(invoices / (published_at - started), 1),
        "suiteql_calls": calls.get("POST /query/v1/suiteql", 0),
        "peak_rss_mb": round(peak / 2**20, 1),
        "peak_rss_mb_by_invoice_events": curve,  # [invoice events in the outbox, peak RSS so far]
    }


async def changed_invoices(env: dict, port: int, database, emulator: str, account: dict, changed: int,
                           lines: int, source: str | None) -> dict:
    """Edit the ``changed`` newest invoices (memo; with ``lines``, exactly that many item lines each),
    start a connector on ``source`` and count its NetSuite calls until every change is published."""
    async with NetSuiteClient(tenant_config_for_emulator(emulator, account)) as user:
        query = "SELECT id FROM transaction WHERE type = 'CustInvc' AND voided = 'F' ORDER BY id DESC"
        targets = []
        while len(targets) < changed:
            page = await user.suiteql.query_page(query, limit=1000, offset=len(targets))
            targets += [row["id"] for row in page.items][:changed - len(targets)]
        marker = f"bench-{time.time_ns()}"
        body = {"memo": marker}
        if lines:
            # Rates well above any seeded total: an invoice's total may not drop below what was paid.
            body["item"] = {"items": [{"item": {"id": "11"}, "quantity": 1, "rate": 100_000 + index}
                                      for index in range(lines)]}
        limit = asyncio.Semaphore(8)

        async def edit(invoice_id: str) -> None:
            async with limit:
                await user.records.update("invoice", invoice_id, body, replace=["item"] if lines else ())

        await asyncio.gather(*(edit(invoice_id) for invoice_id in targets))
        visible = 0
        for start in range(0, len(targets), 1000):
            page = await user.suiteql.query_page(VISIBLE_LINES.format(ids=", ".join(targets[start:start + 1000])),
                                                 limit=1)
            visible += int(page.items[0]["n"])
    httpx.post(f"{emulator}/_emulator/accounts/{account['account_id']}/stats/reset")
    process = start_connector(env, port, source)
    started = time.monotonic()
    try:
        while await database.fetchval("SELECT count(*) FROM connector.outbox WHERE topic = 'netsuite.invoices.v1' "
                                      "AND position($1::bytea in value) > 0", marker.encode()) < changed:
            if time.monotonic() - started > GIVE_UP_S:
                return {"changed_invoices": changed, "visible_lines_of_changed_invoices": visible,
                        "error": f"not all published after {GIVE_UP_S} s"}
            await asyncio.sleep(0.1)
        seconds = time.monotonic() - started
        requests = httpx.get(f"{emulator}/_emulator/accounts/{account['account_id']}/stats").json()["requests"]
    finally:
        stop(process)
    suiteql = requests.get("POST /query/v1/suiteql", 0)
    invoice_calls = suiteql - OTHER_STREAMS - ONEWORLD_PROBE
    return {
        "changed_invoices": changed, "visible_lines_of_changed_invoices": visible,
        "seconds_until_all_published": round(seconds, 2),
        "suiteql_calls_total": suiteql, "invoice_stream_calls": invoice_calls,
        "netsuite_calls_per_1000_changed_invoices": round(invoice_calls * 1000 / changed, 2),
        "pdf_restlet_calls": requests.get("GET restlet:customscript_sb_invoice_pdf", 0),
    }


async def incremental(env: dict, port: int, database, emulator: str, account: dict, arguments) -> dict:
    """Per line count: the baseline's calls beside this checkout's, the same account, one after the other."""
    measured = "connector_src" if arguments.connector_src else "after"
    versions = {"before": arguments.baseline_src, measured: arguments.connector_src} if arguments.baseline_src \
        else {measured: arguments.connector_src}
    found = {}
    for lines in arguments.lines:
        name = f"{lines}_lines_each" if lines else "seeded_lines"
        found[name] = {}
        for version, source in versions.items():
            try:
                found[name][version] = await changed_invoices(env, port, database, emulator, account,
                                                              arguments.changed, lines, source)
            except Exception as error:  # noqa: BLE001 - one failed measurement is reported, the others go on
                found[name][version] = {"error": f"{type(error).__name__}: {error}"[:300]}
    return found


async def main(arguments) -> dict:
    stack = start_stack(broker_log="bench-connector.log")
    emulator_port, connector_port = free_port(), free_port()
    callback = f"http://127.0.0.1:{connector_port}/v1/oauth/netsuite/callback"
    emulator_process = start_emulator(emulator_port, callback)
    emulator = f"http://127.0.0.1:{emulator_port}"
    try:
        database_url = await stack.postgres.create_database(f"bench_connector_{os.getpid()}")
        seed_started = time.monotonic()
        account = httpx.post(f"{emulator}/_emulator/accounts", timeout=3600, json={
            "seed": {"customers": 500, "invoices": arguments.invoices, "months": 60, "random_seed": 42}}).json()
        seeded = round(time.monotonic() - seed_started, 1)
        env = connector_env(database_url, stack.kafka_bootstrap_servers, connector_port, emulator, account, callback,
                            CONNECTOR_INITIAL_SYNC_SLICE_S="30")
        connector = f"http://127.0.0.1:{connector_port}"
        database = await asyncpg.connect(database_url)
        process = start_connector(env, connector_port, arguments.connector_src)
        try:
            initial = await initial_sync(connector, process, database, emulator, account["account_id"],
                                         emulator_process.pid)
        finally:
            stop(process)
        changes = await incremental(env, connector_port, database, emulator, account, arguments)
        await database.close()
        records = httpx.get(f"{emulator}/_emulator/accounts/{account['account_id']}").json()["records"]
    finally:
        stop(emulator_process)
        stack.stop()
    return {
        "machine": {"cpus": os.cpu_count(), "memory_gb": round(psutil.virtual_memory().total / 2**30, 1)},
        "account": {"invoices": arguments.invoices, "records": records, "seed_seconds": seeded},
        "initial_sync_zero_latency": initial,
        "incremental": changes,
        "targets": {"netsuite_calls_per_1000_changed_invoices": 5, "peak_rss_mb_at_1m_invoices": 250},
    }


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--invoices", type=int, default=200_000)
    parser.add_argument("--changed", type=int, default=1000)
    parser.add_argument("--lines", type=int, nargs="+", default=[0, 1, 5, 10],
                        help="item lines per changed invoice; 0 keeps the seeded lines")
    parser.add_argument("--baseline-src", help="a services/connector/src to measure the incremental calls against")
    parser.add_argument("--connector-src", help="a services/connector/src to run instead of this checkout's")
    parser.add_argument("--report", default=str(REPO_ROOT / "reports" / "connector.json"))
    run_and_report(main, parser.parse_args())
