"""Benchmark: how fast the platform emulator publishes payments (load mode) and plans them (run mode).

    .venv/bin/python emulators/platform/bench_emulator.py [--payments 20000] [--invoices 500]

Uses ``KAFKA_BOOTSTRAP_SERVERS`` when set, else starts the embedded broker. Prints JSON and writes
reports/platform-emulator.json.
"""
import argparse
import asyncio
import datetime as dt
import json
import os
import time
import uuid
from pathlib import Path

from devstack.broker import start_broker

from platform_emulator import PlatformEmulator
from platform_emulator.book import InvoiceBook
from platform_emulator.choices import Choices
from platform_emulator.config import EmulatorConfig
from platform_emulator.ledger import Ledger
from platform_emulator.planner import Planner
from platform_emulator.testing import invoice_updated, publish_invoices

ROOT = Path(__file__).resolve().parents[2]


def planning_rate(invoices: int, steps: int) -> float:
    """Payment events decided per second in memory (run mode's cost without the broker)."""
    config = EmulatorConfig(seed=1, tenants=("bench",), failure_ratio=0.05, platform_invoice_ratio=0.05)
    book, ledger = InvoiceBook(), Ledger()
    for n in range(invoices):
        book.observe(invoice_updated("bench", str(n), total="100000.00"))
    planner = Planner(config, book, ledger, Choices(config))
    now = dt.datetime.now(dt.UTC)
    started = time.perf_counter()
    for _ in range(steps):
        event = planner.next_payment_event(now)
        if event is not None:
            ledger.record(event)
    return steps / (time.perf_counter() - started)


async def load_rate(bootstrap: str, invoices: int, payments: int) -> dict:
    tenant = f"bench-{uuid.uuid4().hex[:8]}"
    events = [invoice_updated(tenant, str(n), total="100000.00") for n in range(invoices)]
    async with PlatformEmulator(bootstrap, tenants=(tenant,), seed=1) as platform:
        await publish_invoices(bootstrap, events)
        await platform.wait_for_invoices(tenant, count=invoices, timeout_s=120)
        result = await platform.load(tenant, payments)
    return result.as_dict()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--payments", type=int, default=20000)
    parser.add_argument("--invoices", type=int, default=500)
    args = parser.parse_args()
    broker = start_broker(ROOT / ".suitebridge" / "logs" / f"broker-bench-platform-{os.getpid()}.log")
    try:
        loaded = asyncio.run(load_rate(broker.bootstrap_servers, args.invoices, args.payments))
    finally:
        broker.stop()
    numbers = {
        "load_payments": loaded["payments"], "load_seconds": loaded["seconds"],
        "load_payments_per_s": loaded["per_second"], "invoices": args.invoices,
        "planned_payment_events_per_s_in_memory": round(planning_rate(args.invoices, 5000), 1),
    }
    (ROOT / "reports").mkdir(exist_ok=True)
    (ROOT / "reports" / "platform-emulator.json").write_text(json.dumps(numbers, indent=2) + "\n")
    print(json.dumps(numbers))


if __name__ == "__main__":
    main()
