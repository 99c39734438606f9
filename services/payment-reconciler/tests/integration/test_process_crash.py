"""SIGKILL of a payment-reconciler process in the middle of a 300-payment batch, then a restart:
every payment is in NetSuite exactly once. The process is the real thing (``python -m
payment_reconciler``), reaching NetSuite with a bearer token from the connector's endpoint."""
from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import uuid

import pytest
import pytest_asyncio

from sb_runtime.testing import wait_until
from sb_writeback.testing import WriteBackWorld, fake_connector, oauth2_access

from payment_reconciler.testing import payment_received

from .conftest import TIMEZONE
from .helpers import connected_with_invoices, outcomes

pytestmark = [pytest.mark.asyncio(loop_scope="module"), pytest.mark.chaos]
ADMIN_TOKEN = "admin-" + uuid.uuid4().hex


@pytest_asyncio.fixture(loop_scope="module")
async def world(emulator, kafka_bootstrap, unique):
    async with WriteBackWorld.open(emulator, kafka_bootstrap, f"t-{unique}", f".{unique}", TIMEZONE) as opened:
        yield opened


def spawn(settings: dict[str, str], log_path: str) -> subprocess.Popen:
    env = {**os.environ, **{f"PAYMENT_RECONCILER_{name.upper()}": value for name, value in settings.items()}}
    with open(log_path, "ab") as log:
        return subprocess.Popen([sys.executable, "-m", "payment_reconciler"], env=env, stdout=log,
                                stderr=subprocess.STDOUT)


async def count_written(world, at_least: int) -> int:
    async def enough():
        count = len(await world.written("pay"))
        return count if count >= at_least else 0

    return await wait_until(enough, 90, interval_s=0.2, message=f"{at_least} customer payments")


async def test_a_killed_process_restarted_mid_batch_writes_every_payment_exactly_once(
        world, emulator, database_url, kafka_bootstrap, unique, tmp_path):
    invoices = await connected_with_invoices(world, 30)
    await asyncio.to_thread(emulator.patch_account, world.account_id, latency_ms=40)
    access = await oauth2_access(emulator.url, world.account, TIMEZONE)
    await world.send(*(payment_received(world.tenant_id, f"pay-{n:03}", invoices[n % 30][0], "1.00")
                       for n in range(300)))
    with fake_connector({world.tenant_id: access}, ADMIN_TOKEN) as connector_url:
        settings = {"database_url": database_url, "kafka_bootstrap_servers": kafka_bootstrap,
                    "topic_suffix": world.names.suffix, "consumer_group": f"payment-reconciler-{unique}",
                    "topic_partitions": "2", "connector_url": connector_url, "connector_token": ADMIN_TOKEN,
                    "http_port": "0", "log_level": "info", "stale_pending_s": "2", "resume_interval_s": "0.2",
                    # the killed process's NetSuite budget slots come back when their leases expire
                    "netsuite_timeout_s": "4", "netsuite_budget_lease_s": "5"}
        log_path = str(tmp_path / "payment-reconciler.log")
        process = spawn(settings, log_path)
        try:
            await count_written(world, 60)
        finally:
            process.send_signal(signal.SIGKILL)
            process.wait()
        at_kill = len(await world.written("pay"))
        restarted = spawn(settings, log_path)
        try:
            await outcomes(world, "written", 300, timeout_s=120)
        finally:
            restarted.terminate()
            restarted.wait(timeout=30)

    rows = await world.written("pay")
    assert at_kill < 300, "the kill came too late to test anything"
    assert len(rows) == 300 and len({row["externalid"] for row in rows}) == 300
    remaining = await world.suiteql("SELECT DISTINCT foreignamountunpaid FROM transaction "
                                    f"WHERE type = 'CustInvc' AND id IN ({', '.join(n for _, n in invoices)})")
    assert [row["foreignamountunpaid"] for row in remaining] == ["90"]
