"""The in-process budget: a hard cap, AIMD adaptation, and no leaked slots."""

import asyncio

import pytest

from netsuite_client import LocalBudget


class FakeClock:
    def __init__(self):
        self.now = 0.0

    def __call__(self):
        return self.now


async def hold(budget, seconds, active, peak):
    async with budget.slot():
        active[0] += 1
        peak[0] = max(peak[0], active[0])
        await asyncio.sleep(seconds)
        active[0] -= 1


async def test_never_more_than_limit_slots_in_use():
    budget, active, peak = LocalBudget(3), [0], [0]
    await asyncio.gather(*(hold(budget, 0.005, active, peak) for _ in range(40)))
    assert peak[0] == 3 and budget.in_use == 0 and budget.max_in_use == 3


async def test_throttling_halves_once_per_cooldown_and_recovers_additively():
    clock = FakeClock()
    budget = LocalBudget(8, clock=clock, cooldown_s=1.0)
    budget.on_throttled()
    budget.on_throttled()  # same burst: ignored
    assert budget.effective_limit == 4
    clock.now = 2.0
    budget.on_throttled()
    assert budget.effective_limit == 2
    for _ in range(2):
        budget.on_success()  # 2 -> 2.5 -> 2.9
    assert budget.effective_limit == 2
    for _ in range(40):
        budget.on_success()
    assert budget.effective_limit == 8


async def test_reduced_limit_caps_new_slots():
    budget, active, peak = LocalBudget(6), [0], [0]
    budget.on_throttled()
    await asyncio.gather(*(hold(budget, 0.005, active, peak) for _ in range(20)))
    assert peak[0] == 3


async def test_cancelled_waiters_do_not_leak_slots():
    budget = LocalBudget(1)
    entered = asyncio.Event()

    async def holder():
        async with budget.slot():
            entered.set()
            await asyncio.sleep(0.05)

    first = asyncio.create_task(holder())
    await entered.wait()
    waiters = [asyncio.create_task(hold(budget, 0, [0], [0])) for _ in range(5)]
    await asyncio.sleep(0.01)
    for task in waiters[:3]:
        task.cancel()
    await first
    await asyncio.gather(*waiters, return_exceptions=True)
    assert budget.in_use == 0
    async with budget.slot():
        assert budget.in_use == 1


def test_a_budget_needs_a_slot():
    with pytest.raises(ValueError):
        LocalBudget(0)
