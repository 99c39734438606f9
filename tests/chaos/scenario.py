"""One chaos scenario: platform traffic on, wait until it flows, a fault for ``fault_s``, traffic off,
wait (bounded) until NetSuite holds everything offered, then count. The fault is a context manager
given the run; what it does is the scenario.

Latency is from the platform's offer (the broker record's timestamp) to the NetSuite record's
creation (the emulator's ``createddate``, whole seconds: +0.5 s, so each figure is within ±0.5 s).
"""
from __future__ import annotations

import asyncio
import math
import os
import time
from collections.abc import Callable
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass

from . import traffic
from .netsuite import NetSuiteReader, Record
from .stack import ChaosStack
from .traffic import Offer, PlatformLoad


@dataclass(frozen=True)
class Settings:
    fault_s: float = float(os.environ.get("CHAOS_FAULT_S", "60"))
    tenants: int = int(os.environ.get("CHAOS_TENANTS", "50"))  # healthy tenants (+1 that fails in a)
    rate: float = float(os.environ.get("CHAOS_RATE", "4"))  # payments per second, all tenants
    payout_interval_s: float = float(os.environ.get("CHAOS_PAYOUT_INTERVAL_S", "15"))
    drain_s: float = float(os.environ.get("CHAOS_DRAIN_S", "180"))  # bound on waiting for NetSuite after
    partitions: int = int(os.environ.get("CHAOS_PARTITIONS", "6"))
    report: str = os.environ.get("CHAOS_REPORT", "reports/chaos.json")


def percentile(values: list[float], share: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    return round(ordered[max(0, math.ceil(share * len(ordered)) - 1)], 2)


@dataclass
class Run:
    """What a fault needs to know about the scenario in progress."""
    chaos: ChaosStack
    settings: Settings
    notes: dict


async def run_scenario(chaos: ChaosStack, settings: Settings, name: str, description: str,
                       fault: Callable[[Run], AbstractAsyncContextManager], sick: set[str] = frozenset()) -> dict:
    tenants = [tenant.tenant_id for tenant in chaos.tenants]
    reader = NetSuiteReader(chaos.emulator_url, {t.tenant_id: t.account for t in chaos.tenants})
    run = Run(chaos, settings, {})
    exits_before = len(chaos.exits)
    faults_before = await asyncio.to_thread(chaos.netsuite_faults)
    watcher = asyncio.create_task(_restart_dead(chaos))
    started = time.time()
    try:
        baseline_started, fault_started, fault_ended = await _under_load(run, reader, name, fault)
        load_ended = time.time()
        offered = await traffic.offers(chaos.bootstrap, set(tenants), started, load_ended)
        records = await reader.wait_written(offered, settings.drain_s)
    finally:
        watcher.cancel()
        await reader.aclose()
    ended = time.time()
    faults_after = await asyncio.to_thread(chaos.netsuite_faults)
    outcomes = await traffic.latest_outcomes(chaos.bootstrap)
    for key, message in (await traffic.open_refusals(chaos.bootstrap)).items():  # waiting on the partner
        outcomes[key] = {"status": "action_item", "message": message}
    dead = await traffic.dead_letters(chaos.bootstrap, started, ended)
    report = {"scenario": name, "description": description, "fault_s": settings.fault_s,
              "tenants": len(tenants), "sick_tenants": sorted(sick), "rate_per_s": settings.rate,
              "payout_interval_s": settings.payout_interval_s,
              "fault_window_s": round(fault_ended - fault_started, 1), "duration_s": round(ended - started, 1), "drain_s": round(ended - load_ended, 1),
              "load_average_1m": round(os.getloadavg()[0], 1), "service_exits": chaos.exits[exits_before:],
              "netsuite_errors_answered": {k: v - faults_before.get(k, 0) for k, v in faults_after.items()},
              **run.notes}
    for kind in ("payment", "payout"):
        report[kind + "s"] = _count([o for o in offered if o.kind == kind], records, outcomes)
    report["dead_lettered"] = {"total": sum(dead.values()), **{t: n for t, n in dead.items() if n}}
    # Offers of the last seconds before the fault are still in flight when it starts: not a baseline.
    baseline_ended = max(baseline_started + (fault_started - baseline_started) / 2, fault_started - 5)
    report["latency_before_fault"] = _latencies(offered, records, sick, baseline_started, baseline_ended)
    report["latency_during_fault"] = _latencies(offered, records, sick, fault_started, fault_ended)
    return report


async def _under_load(run: Run, reader: NetSuiteReader, name: str,
                      fault: Callable[[Run], AbstractAsyncContextManager]) -> tuple[float, float, float]:
    """Platform traffic on; once it reaches NetSuite, a baseline window, the fault for ``fault_s``, a
    little more traffic (recovery under load); traffic off. Returns when the baseline started and
    when the fault started and ended."""
    chaos, settings = run.chaos, run.settings
    load = PlatformLoad(chaos.bootstrap, [t.tenant_id for t in chaos.tenants], settings.rate,
                        settings.payout_interval_s, chaos.state_dir / "logs" / f"platform-{name}.log")
    since = time.time()
    load.start()
    try:
        await _traffic_flows(chaos, reader, since)
        baseline_started = time.time()
        await asyncio.sleep(min(10.0, settings.fault_s / 4))  # the baseline window: traffic without the fault
        async with fault(run):
            fault_started = time.time()  # once the fault is in place
            await asyncio.sleep(settings.fault_s)  # the fault's duration is the scenario, not a wait for a result
        fault_ended = time.time()  # once it is lifted
        await asyncio.sleep(min(5.0, settings.fault_s / 4))  # traffic after the fault, as above
    finally:
        await asyncio.to_thread(load.stop)
    return baseline_started, fault_started, fault_ended


async def _restart_dead(chaos: ChaosStack) -> None:
    while True:
        await asyncio.to_thread(chaos.restart_dead)
        await asyncio.sleep(2)  # a supervisor's watch loop


async def _traffic_flows(chaos: ChaosStack, reader: NetSuiteReader, since: float, timeout_s: float = 120) -> None:
    """Wait (bounded) until a payment offered in this scenario is in NetSuite."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        offered = [o for o in await traffic.offers(chaos.bootstrap, {t.tenant_id for t in chaos.tenants},
                                                   since, time.time()) if o.kind == "payment"]
        if offered and any((await reader.matches(offered[:5])).values()):
            return
        await asyncio.sleep(2)  # polling the broker and NetSuite; bounded by the deadline
    raise TimeoutError(f"no payment reached NetSuite within {timeout_s}s of the platform starting")


def _count(offered: list[Offer], records: dict[Offer, list[Record]], outcomes: dict) -> dict:
    once = [o for o in offered if len(records[o]) == 1]
    duplicates = sum(len(records[o]) - 1 for o in offered if len(records[o]) > 1)
    missing = [o for o in offered if not records[o]]
    refused = [o for o in missing if outcomes.get((o.kind, o.platform_id), {}).get("status") in ("action_needed", "failed", "action_item")]
    lost = [o for o in missing if o not in refused]
    result = {"offered": len(offered), "written_once": len(once), "duplicates": duplicates, "lost": len(lost),
              "refused": len(refused)}
    if refused:
        result["refused_messages"] = sorted({str(outcomes[(o.kind, o.platform_id)]["message"]) for o in refused})[:10]
    if lost:
        result["lost_examples"] = [{"tenant": o.tenant_id, "id": o.platform_id,
                                    "last_outcome": outcomes.get((o.kind, o.platform_id), {}).get("status")}
                                   for o in lost[:10]]
    return result


def _finite(value: float | None) -> float | None:
    return None if value is None or math.isinf(value) else value


def _latencies(offered: list[Offer], records: dict[Offer, list[Record]], sick: set[str],
               since: float, until: float) -> dict:
    """Healthy tenants' offer -> NetSuite record seconds, for what was offered during the fault."""
    result = {}
    for kind in ("payment", "payout"):
        during = [o for o in offered if o.kind == kind and o.tenant_id not in sick and since <= o.offered_at <= until]
        values = [min(r.created_at for r in records[o]) + 0.5 - o.offered_at for o in during if records[o]]
        unwritten = [math.inf] * (len(during) - len(values))  # never written: slower than any figure
        result[kind + "s"] = {"count": len(during), "written": len(values),
                              **{f"{label}_s": _finite(percentile(values + unwritten, share))
                                 for label, share in (("p50", 0.5), ("p95", 0.95), ("max", 1.0))}}
    return result
