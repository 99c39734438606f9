"""One tenant's NetSuite trouble stays its own: while tenant A's account fails every request, tenant
B's payments are written at once; A's wait in A's lane (not dead-lettered) and are written, once,
when A's account answers again."""
from __future__ import annotations

import asyncio
import time

import pytest

from contracts import topics
from sb_runtime.testing import read_topic, wait_until
from sb_writeback.testing import WriteBackWorld

from payment_reconciler.testing import payment_received

from .helpers import connected_with_invoices, outcomes

pytestmark = pytest.mark.asyncio(loop_scope="module")
HEALTHY_WITHIN_S = 6.0  # a healthy tenant's payment, while another tenant's NetSuite fails



async def test_a_tenant_whose_netsuite_fails_every_request_holds_no_other_tenants_payments(
        world, emulator, kafka_bootstrap, running_service, unique):
    failing = world
    async with WriteBackWorld.served_by(emulator, kafka_bootstrap, f"t-{unique}-b", running_service.suffix,
                                        running_service.credentials, running_service.timezone) as healthy:
        [(a_invoice, _)] = await connected_with_invoices(failing, 1)
        [(b_invoice, _)] = await connected_with_invoices(healthy, 1)
        await asyncio.to_thread(emulator.patch_account, failing.account_id, error_rate=1.0)
        await failing.send(payment_received(failing.tenant_id, "pay-a1", a_invoice, "10.00"))

        async def a_is_failing():
            return await failing.failing_requests() >= 2

        await wait_until(a_is_failing, timeout_s=30, message="tenant A's NetSuite failing its write")
        sent = time.monotonic()
        await healthy.send(payment_received(healthy.tenant_id, "pay-b1", b_invoice, "10.00"),
                           payment_received(healthy.tenant_id, "pay-b2", b_invoice, "15.00"))
        await outcomes(healthy, "written", 2, timeout_s=HEALTHY_WITHIN_S)
        healthy_took_s = time.monotonic() - sent
        assert healthy_took_s < HEALTHY_WITHIN_S
        assert not [e for e in await failing.events(topics.PAYMENT_OUTCOMES) if e.data.status == "written"]

        await asyncio.to_thread(emulator.patch_account, failing.account_id, error_rate=0.0)
        await outcomes(failing, "written", 1, timeout_s=90)
        assert len(await failing.written("pay")) == 1 and len(await healthy.written("pay")) == 2
    dead = await read_topic(kafka_bootstrap, failing.names(topics.PLATFORM_PAYMENTS) + ".dlq", at_least=1, timeout_s=1)
    assert [r for r in dead if r.key == failing.tenant_id.encode()] == []


@pytest.mark.slow
async def test_healthy_tenants_write_back_latency_while_one_tenants_netsuite_fails(
        world, emulator, kafka_bootstrap, running_service, unique):
    """A measurement (``-s`` prints it): 5 healthy tenants × 10 payments at once while tenant A fails."""
    import contextlib
    import statistics

    failing = world
    async with contextlib.AsyncExitStack() as stack:
        healthy = [await stack.enter_async_context(WriteBackWorld.served_by(
            emulator, kafka_bootstrap, f"t-{unique}-h{n}", running_service.suffix, running_service.credentials,
            running_service.timezone)) for n in range(5)]
        [(a_invoice, _)] = await connected_with_invoices(failing, 1)
        invoices = {h.tenant_id: (await connected_with_invoices(h, 1, total="1000.00"))[0][0] for h in healthy}
        await asyncio.to_thread(emulator.patch_account, failing.account_id, error_rate=1.0)
        await failing.send(*(payment_received(failing.tenant_id, f"pay-a{n}", a_invoice, "1.00") for n in range(5)))
        sent: dict[tuple[str, str], float] = {}
        for round_ in range(10):
            for h in healthy:
                sent[(h.tenant_id, f"pay-{round_}")] = time.time()
                await h.send(payment_received(h.tenant_id, f"pay-{round_}", invoices[h.tenant_id], "1.00"))
        latencies: dict[tuple[str, str], float] = {}

        async def all_written():
            for h in healthy:
                for event in await h.events(topics.PAYMENT_OUTCOMES, timeout_s=0.3):
                    key = (h.tenant_id, event.data.payment_id)
                    if event.data.status == "written" and key not in latencies:
                        latencies[key] = event.data.recorded_at.timestamp() - sent[key]  # written, as recorded
            return len(latencies) == len(sent)

        await wait_until(all_written, timeout_s=60, interval_s=0.1, message="every healthy payment written")
        ordered = sorted(latencies.values())
        p95 = ordered[int(0.95 * (len(ordered) - 1))]
        print(f"\nhealthy write-back latency while one tenant fails: n={len(ordered)} "
              f"median={statistics.median(ordered):.2f}s p95={p95:.2f}s max={ordered[-1]:.2f}s")
        assert p95 < 5.0
        await asyncio.to_thread(emulator.patch_account, failing.account_id, error_rate=0.0)
        await outcomes(failing, "written", 5, timeout_s=90)
