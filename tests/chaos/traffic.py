"""The platform's traffic and what the broker holds: the platform emulator as an OS process paying
the tenants' synced invoices and paying out, and readers of the platform, outcome and DLQ topics."""
from __future__ import annotations

import asyncio
import json
import signal
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from aiokafka import AIOKafkaConsumer, TopicPartition
from contracts import topics


@dataclass(frozen=True)
class Offer:
    """A payment or payout the platform published, and when (the broker record's timestamp)."""
    kind: str  # "payment" | "payout"
    tenant_id: str
    platform_id: str
    offered_at: float  # epoch seconds


class PlatformLoad:
    """``python -m platform_emulator run`` for the given tenants: only payments of synced invoices
    (no failures, no platform-created invoices), a payout per tenant every ``payout_interval_s``."""

    def __init__(self, bootstrap: str, tenants: list[str], rate: float, payout_interval_s: float, log_path: Path):
        args = ["run", "--bootstrap", bootstrap, "--rate", str(rate), "--failure-ratio", "0",
                "--platform-invoice-ratio", "0", "--payout-interval", str(payout_interval_s),
                "--summary", "json", "--log-level", "warning"]
        for tenant in tenants:
            args += ["--tenant", tenant]
        self.args, self.log_path = args, log_path
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        log = open(self.log_path, "ab")  # noqa: SIM115 - handed to the child
        self.process = subprocess.Popen([sys.executable, "-m", "platform_emulator", *self.args], stdout=log,
                                        stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(5)


async def read_all(bootstrap: str, topic: str) -> list:
    """Every record of ``topic`` up to its end offsets now (nothing when the topic does not exist)."""
    consumer = AIOKafkaConsumer(bootstrap_servers=bootstrap, enable_auto_commit=False)
    await consumer.start()
    try:
        if topic not in await consumer.topics():
            return []
        partitions = [TopicPartition(topic, p) for p in sorted(consumer.partitions_for_topic(topic) or ())]
        consumer.assign(partitions)
        await consumer.seek_to_beginning(*partitions)
        ends = await consumer.end_offsets(partitions)
        records: list = []
        loop = asyncio.get_running_loop()
        deadline = loop.time() + 60
        while await _behind(consumer, ends) and loop.time() < deadline:
            for batch in (await consumer.getmany(timeout_ms=500)).values():
                records.extend(batch)
        return records
    finally:
        await consumer.stop()


async def _behind(consumer: AIOKafkaConsumer, ends: dict) -> bool:
    for partition, end in ends.items():
        if await consumer.position(partition) < end:
            return True
    return False


async def dlq_topics(bootstrap: str) -> list[str]:
    consumer = AIOKafkaConsumer(bootstrap_servers=bootstrap)
    await consumer.start()
    try:
        return sorted(t for t in await consumer.topics() if t.endswith(".dlq"))
    finally:
        await consumer.stop()


def _envelopes(records: list, since: float, until: float):
    for record in records:
        at = record.timestamp / 1000
        if since <= at <= until:
            yield json.loads(record.value), at


async def offers(bootstrap: str, tenants: set[str], since: float, until: float) -> list[Offer]:
    """Payments (PaymentReceived) and payouts (DepositPosted) the platform published in the window."""
    found: list[Offer] = []
    for topic, event_type, key, kind in ((topics.PLATFORM_PAYMENTS, "PaymentReceived", "payment_id", "payment"),
                                         (topics.PLATFORM_PAYOUTS, "DepositPosted", "payout_id", "payout")):
        for event, at in _envelopes(await read_all(bootstrap, topic), since, until):
            if event["event_type"] == event_type and event["tenant_id"] in tenants:
                found.append(Offer(kind, event["tenant_id"], event["data"][key], at))
    return found


async def dead_letters(bootstrap: str, since: float, until: float) -> dict[str, int]:
    """Messages put on each DLQ topic in the window (every message the platform offers is valid)."""
    counts = {}
    for topic in await dlq_topics(bootstrap):
        counts[topic] = sum(1 for r in await read_all(bootstrap, topic) if since <= r.timestamp / 1000 <= until)
    return counts


async def latest_outcomes(bootstrap: str) -> dict[tuple[str, str], dict]:
    """(kind, platform id) -> the latest outcome suitebridge published for it (status, message)."""
    latest: dict[tuple[str, str], dict] = {}
    for topic, key, kind in ((topics.PAYMENT_OUTCOMES, "payment_id", "payment"),
                             (topics.PAYOUT_OUTCOMES, "payout_id", "payout")):
        for record in await read_all(bootstrap, topic):
            data = json.loads(record.value)["data"]
            latest[(kind, data[key])] = {"status": data["status"], "message": data.get("message")}
    return latest


# Action items that stop a write until the partner acts (a refusal, visible): not a loss.
REFUSALS = frozenset({"currency_mismatch", "deposit_does_not_balance", "write_rejected", "invoice_unknown"})


async def open_refusals(bootstrap: str) -> dict[tuple[str, str], str]:
    """(kind, platform id) -> the message of an open action item that waits for the partner."""
    items: dict[str, dict] = {}
    for record in await read_all(bootstrap, topics.ACTION_ITEMS):
        event = json.loads(record.value)
        data = event["data"]
        if event["event_type"] == "ActionItemResolved":
            items.pop(data["item_id"], None)
        elif data["kind"] in REFUSALS:
            items[data["item_id"]] = data
    found = {}
    for data in items.values():
        for kind, key in (("payment", "payment_id"), ("payout", "payout_id")):
            if data.get(key):
                found[(kind, data[key])] = data["message"]
    return found
