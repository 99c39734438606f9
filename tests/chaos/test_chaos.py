"""Issue 14's chaos suite on real processes (``make chaos``): one tenant's NetSuite failing, the
database paused, each service SIGKILLed and restarted, ambiguous NetSuite writes. Each scenario's
figures go to the report before its assertions, so they exist even when one fails.

Fault length ``CHAOS_FAULT_S`` (default 60), ``CHAOS_TENANTS`` healthy tenants (default 50); a quick
development run: ``CHAOS_FAULT_S=10 CHAOS_TENANTS=5 make chaos ARGS=tests/chaos``.
"""
from __future__ import annotations

import asyncio
import time
from contextlib import asynccontextmanager

import pytest

from .scenario import Run, run_scenario

pytestmark = [pytest.mark.chaos, pytest.mark.asyncio(loop_scope="module"), pytest.mark.timeout(1200)]
SERVICES = ("connector", "invoice-sync", "payment-reconciler", "deposit-writer")
HEALTHY_P95_S = 5.0


def check(scenario: dict, healthy_p95: bool = False) -> None:
    payments, payouts = scenario["payments"], scenario["payouts"]
    assert payments["offered"] and payouts["offered"], "the scenario offered no payments or no payouts"
    assert payments["duplicates"] == 0 and payouts["duplicates"] == 0, scenario
    assert payments["lost"] == 0 and payouts["lost"] == 0, scenario
    assert scenario["dead_lettered"]["total"] == 0, scenario["dead_lettered"]
    if healthy_p95:
        p95 = scenario["latency_during_fault"]["payments"]["p95_s"]
        assert p95 is not None and p95 < HEALTHY_P95_S, scenario["latency_during_fault"]


async def test_a_one_tenants_netsuite_failing_every_request(chaos, settings, report):
    sick = chaos.tenants[0]

    @asynccontextmanager
    async def netsuite_down(run: Run):
        await asyncio.to_thread(chaos.patch_account, sick.account_id, error_rate=1.0)
        try:
            yield
        finally:
            await asyncio.to_thread(chaos.patch_account, sick.account_id, error_rate=0.0)

    scenario = await run_scenario(chaos, settings, "a_tenant_netsuite_down",
                                  f"{sick.tenant_id}'s NetSuite answers every request 500/503 while the others pay",
                                  netsuite_down, sick={sick.tenant_id})
    report.add(scenario)
    check(scenario, healthy_p95=True)


async def test_b_database_paused(chaos, settings, report):
    @asynccontextmanager
    async def paused(run: Run):
        with chaos.database_paused() as count:
            run.notes["postgres_processes_stopped"] = count
            yield

    scenario = await run_scenario(chaos, settings, "b_database_paused",
                                  "SIGSTOP of the harness's own PostgreSQL server (postmaster and backends)", paused)
    report.add(scenario)
    check(scenario)


async def test_c_each_service_killed_and_restarted(chaos, settings, report):
    @asynccontextmanager
    async def kills(run: Run):
        async def in_turn():
            gap = settings.fault_s / len(SERVICES)
            restarts = run.notes.setdefault("restart_s", {})
            for name in SERVICES:
                began = time.monotonic()
                restarts[name] = round(await asyncio.to_thread(chaos.kill_and_restart, name), 1)
                await asyncio.sleep(max(0.0, gap - (time.monotonic() - began)))  # the next kill's slot

        task = asyncio.create_task(in_turn())
        try:
            yield
        finally:
            await task

    scenario = await run_scenario(chaos, settings, "c_services_killed",
                                  "SIGKILL of connector, invoice-sync, payment-reconciler, deposit-writer in turn, "
                                  "each restarted at once", kills)
    report.add(scenario)
    check(scenario)


async def test_d_ambiguous_writes(chaos, settings, report):
    @asynccontextmanager
    async def ambiguous(run: Run):
        await chaos.patch_all(ambiguous_write_rate=0.2, ambiguous_write_mode="mixed")
        try:
            yield
        finally:
            await chaos.patch_all(ambiguous_write_rate=0.0)

    scenario = await run_scenario(chaos, settings, "d_ambiguous_writes",
                                  "20 % of NetSuite writes commit and then answer 500 or drop the connection",
                                  ambiguous)
    report.add(scenario)
    check(scenario)
