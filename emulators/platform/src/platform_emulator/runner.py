"""The cadence of run(): payment events at a steady rate, payouts on their own interval."""
from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

from sb_runtime.logging import get_logger

if TYPE_CHECKING:
    from platform_emulator.emulator import PlatformEmulator

log = get_logger(__name__)
IDLE_S = 0.2  # nothing to pay yet: look again this soon


async def run_loop(platform: PlatformEmulator, stop: asyncio.Event, max_events: int | None,
                   duration_s: float | None) -> None:
    loop = asyncio.get_running_loop()
    await platform.caught_up()
    interval = 1.0 / platform.config.rate
    every = platform.config.payout_interval_s
    now = loop.time()
    next_payment, next_payout = now, now + every
    deadline = now + duration_s if duration_s is not None else float("inf")
    emitted = 0
    while not stop.is_set() and (max_events is None or emitted < max_events) and loop.time() < deadline:
        platform._check_feed()  # noqa: SLF001 - the loop is part of the emulator
        now = loop.time()
        if now >= next_payout:
            await platform.settle()
            next_payout = max(next_payout + every, now)
        if now >= next_payment:
            event = platform.planner.next_payment_event(platform.clock())
            if event is None:
                next_payment = now + min(interval, IDLE_S)
            else:
                await platform.publish(event)
                emitted += 1
                next_payment = max(next_payment + interval, now - interval)  # no burst after a stall
        pause = min(next_payment, next_payout, deadline) - loop.time()
        if pause > 0:
            try:
                await asyncio.wait_for(stop.wait(), pause)
            except TimeoutError:
                pass
    log.info("platform.run_ended", payment_events=emitted)
