"""One tenant's NetSuite trouble stays its own: while tenant A's account fails every request, tenant
B's payout is deposited at once; A's waits in A's lane (not dead-lettered) and is deposited, once,
when A's account answers again."""
from __future__ import annotations

import asyncio
import time

import pytest

from contracts import topics
from sb_runtime.testing import read_topic, wait_until
from sb_writeback.testing import WriteBackWorld

from deposit_writer.testing import deposit_posted

from .helpers import connect, payout_outcome, written_payment

pytestmark = pytest.mark.asyncio(loop_scope="module")
HEALTHY_WITHIN_S = 6.0



async def test_a_tenant_whose_netsuite_fails_every_request_holds_no_other_tenants_payouts(
        world, emulator, kafka_bootstrap, running_service, unique):
    failing = world
    async with WriteBackWorld.served_by(emulator, kafka_bootstrap, f"t-{unique}-b", running_service.suffix,
                                        running_service.credentials, running_service.timezone) as healthy:
        for tenant in (failing, healthy):
            await connect(tenant)
            await written_payment(tenant, "pay-1", "100.00")
        await asyncio.to_thread(emulator.patch_account, failing.account_id, error_rate=1.0)
        await failing.send(deposit_posted(failing.tenant_id, "po-a", ["pay-1"], "100.00", []))

        async def a_is_failing():
            return await failing.failing_requests() >= 2

        await wait_until(a_is_failing, timeout_s=30, message="tenant A's NetSuite failing its deposit")
        sent = time.monotonic()
        await healthy.send(deposit_posted(healthy.tenant_id, "po-b", ["pay-1"], "100.00", []))
        await payout_outcome(healthy, "po-b", "deposited", timeout_s=HEALTHY_WITHIN_S)
        assert time.monotonic() - sent < HEALTHY_WITHIN_S
        assert not [e for e in await failing.events(topics.PAYOUT_OUTCOMES) if e.data.status == "deposited"]

        await asyncio.to_thread(emulator.patch_account, failing.account_id, error_rate=0.0)
        await payout_outcome(failing, "po-a", "deposited", timeout_s=90)
        assert len(await failing.written("payout")) == 1
    dead = await read_topic(kafka_bootstrap, failing.names(topics.PLATFORM_PAYOUTS) + ".dlq", at_least=1, timeout_s=1)
    assert [r for r in dead if r.key and r.key.startswith(failing.tenant_id.encode())] == []
