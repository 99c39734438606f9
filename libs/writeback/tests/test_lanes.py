"""Tenant lanes: one tenant's slow or failing NetSuite work holds no other tenant's, and a transient
failure keeps the row in its own lane until it succeeds (no sleeps: barriers and bounded waits)."""
import asyncio
from dataclasses import dataclass

from sb_runtime.errors import TransientError
from sb_runtime.testing import wait_until
from sb_writeback.lanes import LanePolicy, TenantLanes
from sb_writeback.work import WorkTable


@dataclass
class Deps:
    work: WorkTable = WorkTable("payment", "payments")


async def test_a_tenant_whose_work_hangs_holds_no_other_tenants_work():
    release, done = asyncio.Event(), []

    async def write(deps, tenant_id, work_id):
        if tenant_id == "slow":
            await release.wait()  # a NetSuite that does not answer
        done.append((tenant_id, work_id))
        return "written"

    lanes = TenantLanes(write, write, LanePolicy(concurrency=2))
    for n in range(4):
        await lanes.submit(Deps(), "slow", f"s{n}")
    for n in range(3):
        await lanes.submit(Deps(), "healthy", f"h{n}")

    async def healthy_done():
        return sorted(done) == [("healthy", "h0"), ("healthy", "h1"), ("healthy", "h2")]

    await wait_until(healthy_done, timeout_s=5, message="the healthy tenant's work")
    assert set(lanes.busy()) == {("slow", f"s{n}") for n in range(4)}
    release.set()

    async def all_done():
        return len(done) == 7

    await wait_until(all_done, timeout_s=5, message="the slow tenant's work once it answers")
    await lanes.stop()


async def test_a_transient_failure_keeps_the_row_in_its_lane_which_backs_off_alone():
    failures_left, done, resumed = {"a1": 3}, [], []

    async def write(deps, tenant_id, work_id):
        if failures_left.get(work_id):
            failures_left[work_id] -= 1
            raise TransientError("503 from NetSuite")
        done.append(work_id)
        return "written"

    async def resume(deps, tenant_id, work_id):
        resumed.append(work_id)
        return await write(deps, tenant_id, work_id)

    lanes = TenantLanes(write, resume, LanePolicy(concurrency=1, base_backoff_s=0.01, max_backoff_s=0.05))
    await lanes.submit(Deps(), "a", "a1")
    await lanes.submit(Deps(), "b", "b1", resume=True)

    async def both_done():
        return sorted(done) == ["a1", "b1"]

    await wait_until(both_done, timeout_s=5, message="both rows written")
    assert failures_left == {"a1": 0} and resumed == ["b1"] and lanes.busy() == []
    await lanes.stop()
