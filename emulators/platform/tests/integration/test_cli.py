"""``python -m platform_emulator run|load`` as the demo and the benchmarks start it."""
import asyncio
import json
import sys
from decimal import Decimal

from contracts import topics
from contracts.registry import decode

from platform_emulator.testing import invoice_updated, publish_invoices, tenant_records


async def synced(bootstrap: str, tenant_id: str) -> set[str]:
    events = [invoice_updated(tenant_id, str(ns_id), total="900.00") for ns_id in range(301, 305)]
    await publish_invoices(bootstrap, events)
    return {e.data.id for e in events}


async def cli(*args: str) -> list[str]:
    process = await asyncio.create_subprocess_exec(sys.executable, "-m", "platform_emulator", *args,
                                                   stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT)
    output, _ = await asyncio.wait_for(process.communicate(), 60)
    assert process.returncode == 0, output.decode()[-3000:]
    return output.decode().strip().splitlines()


async def test_run_command_stops_after_max_events_and_prints_a_summary(kafka_bootstrap, unique):
    tenant = f"plat-cli-{unique}"
    invoice_ids = await synced(kafka_bootstrap, tenant)
    lines = await cli("run", "--bootstrap", kafka_bootstrap, "--tenant", tenant, "--rate", "50", "--seed", "3",
                      "--max-events", "8", "--duration", "30", "--failure-ratio", "0", "--platform-invoice-ratio", "0",
                      "--partial-ratio", "1", "--summary", "json", "--log-level", "warning")
    summary = json.loads(lines[-1])
    assert summary["seed"] == 3 and summary["tenants"] == [tenant]
    assert summary["counts"]["PaymentReceived"] == 8 and summary["counts"]["PaymentFailed"] == 0
    records = await tenant_records(kafka_bootstrap, topics.PLATFORM_PAYMENTS, tenant, at_least=8)
    events = [decode(topics.PLATFORM_PAYMENTS, r.value) for r in records]
    assert {e.data.invoice_id for e in events} <= invoice_ids
    assert str(sum(e.data.amount for e in events)) == summary["totals"]["USD"]["received"]


async def test_load_command_pays_the_tenants_invoices_as_fast_as_it_can(kafka_bootstrap, unique):
    tenant = f"plat-load-{unique}"
    invoice_ids = await synced(kafka_bootstrap, tenant)
    lines = await cli("load", "--bootstrap", kafka_bootstrap, "--tenant", tenant, "--payments", "300", "--summary", "json",
                      "--log-level", "warning")
    result = json.loads(lines[-2])
    assert result["payments"] == 300 and result["invoices"] == 4 and result["total_amount"] == "300.00"
    records = await tenant_records(kafka_bootstrap, topics.PLATFORM_PAYMENTS, tenant, at_least=300)
    events = [decode(topics.PLATFORM_PAYMENTS, r.value) for r in records]
    assert len(events) == 300 and len({e.data.payment_id for e in events}) == 300
    assert {e.data.invoice_id for e in events} == invoice_ids
    assert all(e.data.amount == Decimal("1.00") for e in events)
