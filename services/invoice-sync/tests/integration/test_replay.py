"""Replaying the input topics from offset 0 into a fresh schema gives the same state."""
from __future__ import annotations

import pytest

from sb_runtime.testing import wait_until

from invoice_sync.testing import (customer, customer_changed, deposit_changed, invoice_archived, invoice_changed,
                                  minimal_pdf, outcome, outcome_recorded, pdf_fetched, version)

from .conftest import applied, start_service, stop_service, table_dump

pytestmark = pytest.mark.asyncio(loop_scope="module")


def story(tenant: str) -> list:
    """Events of every kind, deliberately out of order across (and within) topics."""
    paid = outcome(tenant, "1001", "pay_1", "written", minute=1.5, netsuite_payment_id="7001")
    return [
        pdf_fetched(tenant, "1001", minimal_pdf("INV1001 v1"), minute=0),  # before its invoice
        outcome_recorded(tenant, paid),  # before its invoice
        deposit_changed(tenant, "8001", ["7001"], minute=40),  # before the payment mapping
        invoice_changed(tenant, version("1001", minute=1, remaining="0.00")),  # newer first
        invoice_changed(tenant, version("1001", minute=0)),
        outcome_recorded(tenant, outcome(tenant, "1001", "pay_1", "failed", minute=50, netsuite_payment_id="7001")),
        invoice_changed(tenant, version("1001", minute=60, remaining="0.00", memo="stale")),
        invoice_changed(tenant, version("1002", lines=4, remaining="80.00")),
        outcome_recorded(tenant, outcome(tenant, "1002", "pay_2", "waiting", minute=2, amount="80.00")),
        invoice_changed(tenant, version("1003")),
        invoice_archived(tenant, "1003", minute=3, reason="voided"),
        invoice_changed(tenant, version("1003", minute=9, total="999.00")),  # after the archive: ignored
        customer_changed(tenant, customer("55", minute=5, name="Acme Group")),
        customer_changed(tenant, customer("55", minute=1)),  # older, late
        customer_changed(tenant, customer("56", minute=2, inactive=True)),
    ]


def counts(dump: dict) -> dict:
    return {table: len(rows) for table, rows in dump.items()}


EXPECTED = {"invoices": 3, "invoice_versions": 6, "invoice_archives": 1, "invoice_pdfs": 1, "platform_payments": 2,
            "deposits": 1, "customers": 2}


async def test_replaying_the_inputs_into_a_fresh_schema_gives_identical_state(
        service, produce, database_url, kafka_bootstrap, unique):
    tenant = f"replay-{unique}"
    events = story(tenant)
    await produce(*events)

    async def settled(schema):
        # Every event applied (claimed in the inbox), not just the right number of rows: a loaded
        # machine may still be applying one whose effect changes no count.
        if await applied(database_url, schema, [event.event_id for event in events]) < len(events):
            return None
        dump = await table_dump(database_url, schema, tenant)
        payments = {p["payment_id"]: p["status"] for p in dump["platform_payments"]}
        return dump if counts(dump) == EXPECTED and payments.get("pay_1") == "failed" else None

    original = await wait_until(lambda: settled(service.schema), timeout_s=60, message="the original state")
    invoices = {i["netsuite_id"]: i for i in original["invoices"]}
    assert (invoices["1001"]["status"], str(invoices["1001"]["amount_remaining"])) == ("open", "250.00")
    assert invoices["1001"]["memo"] == "stale" and invoices["1001"]["pdf_sha256"] is not None
    assert (invoices["1002"]["status"], str(invoices["1002"]["amount_remaining"])) == ("paid", "0.00")
    assert (invoices["1003"]["status"], str(invoices["1003"]["total"])) == ("archived", "250.00")

    rebuilt = await start_service(database_url, kafka_bootstrap)
    try:
        replayed = await wait_until(lambda: settled(rebuilt.schema), timeout_s=90, message="the replayed state")
    finally:
        await stop_service(rebuilt)
    assert replayed == original
