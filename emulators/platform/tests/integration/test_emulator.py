"""The emulator against the real broker: it reads suitebridge's invoices and publishes contract events.

Topic names are fixed, so every test works with a tenant of its own and reads back only its records.
"""
import json
from decimal import Decimal

import jsonschema
import pytest
from contracts import topics
from contracts.payments import PaymentFailed, PaymentReceived
from contracts.payouts import DepositPosted
from contracts.registry import decode

from platform_emulator import PlatformEmulator
from platform_emulator.testing import invoice_updated, publish_invoices, schema, tenant_records

BALANCES = {"201": "250.00", "202": "1200.50", "203": "75.10", "204": "4000.00"}


async def sync_invoices(bootstrap: str, tenant_id: str) -> dict[str, Decimal]:
    """Publish the tenant's invoices as invoice-sync would; return payable id → balance."""
    events = [invoice_updated(tenant_id, ns_id, total="5000.00", remaining=balance) for ns_id, balance in BALANCES.items()]
    events += [invoice_updated(tenant_id, "290", remaining="0.00"), invoice_updated(tenant_id, "291", archived=True)]
    await publish_invoices(bootstrap, events)
    return {e.data.id: e.data.amount_remaining for e in events[:len(BALANCES)]}


def validated(records, topic: str, tenant_id: str) -> list:
    """Every record: keyed by the tenant, accepted by the contract model and the JSON Schema."""
    events = []
    for record in records:
        assert record.key == tenant_id.encode()
        event = decode(topic, record.value)
        jsonschema.validate(json.loads(record.value), schema(event.event_type))
        assert event.tenant_id == tenant_id
        events.append(event)
    return events


def check_payouts(payouts: list[DepositPosted], received: dict[str, PaymentReceived], failed: set[str]) -> None:
    paid_out: list[str] = []
    for payout in payouts:
        data = payout.data
        grosses = [received[p].data.amount + received[p].data.surcharge for p in data.payment_ids]
        assert data.gross_amount == sum(grosses)
        assert data.fee_amount == sum(fee.amount for fee in data.fees)
        assert data.net_amount == data.gross_amount - data.fee_amount
        assert {received[p].data.currency for p in data.payment_ids} == {data.currency}
        paid_out += data.payment_ids
    assert len(paid_out) == len(set(paid_out)), "a payment was paid out twice"
    assert not set(paid_out) & failed, "a failed payment was paid out"
    assert set(paid_out) == set(received) - failed, "every good payment is paid out after settle()"


async def test_run_pays_synced_invoices_fails_some_and_pays_out(kafka_bootstrap, unique):
    tenant = f"plat-run-{unique}"
    async with PlatformEmulator(kafka_bootstrap, tenants=(tenant,), seed=11, rate=200, failure_ratio=0.2,
                                platform_invoice_ratio=0.15, partial_ratio=0.6, payout_interval_s=0.1) as platform:
        balances = await sync_invoices(kafka_bootstrap, tenant)
        await platform.wait_for_invoices(tenant, count=len(balances))
        await platform.run(max_events=40)
        await platform.settle()
        published = platform.published
    payment_records = await tenant_records(kafka_bootstrap, topics.PLATFORM_PAYMENTS, tenant, at_least=40)
    payments = validated(payment_records, topics.PLATFORM_PAYMENTS, tenant)
    payouts = validated(await tenant_records(kafka_bootstrap, topics.PLATFORM_PAYOUTS, tenant,
                                             at_least=sum(isinstance(e, DepositPosted) for e in published)),
                        topics.PLATFORM_PAYOUTS, tenant)
    assert [r.value for r in payment_records] == [e.to_bytes() for e in published if e.TOPIC == topics.PLATFORM_PAYMENTS]
    assert len({r.partition for r in payment_records}) == 1  # one key, one partition: failures follow their payment

    received: dict[str, PaymentReceived] = {}
    failed: set[str] = set()
    applied = dict.fromkeys(balances, Decimal("0.00"))
    for event in payments:
        if isinstance(event, PaymentReceived):
            received[event.data.payment_id] = event
            if event.data.invoice_id in balances:
                applied[event.data.invoice_id] += event.data.amount
                assert event.data.currency == "USD"
        else:
            assert isinstance(event, PaymentFailed)
            assert event.data.payment_id in received, "a failure names a payment published before it"
            assert event.data.invoice_id == received[event.data.payment_id].data.invoice_id
            failed.add(event.data.payment_id)
            if event.data.invoice_id in balances:
                applied[event.data.invoice_id] -= received[event.data.payment_id].data.amount
    assert all(applied[invoice_id] <= balance for invoice_id, balance in balances.items())
    assert failed, "failure_ratio 0.2 over 40 events fails some payments"
    assert any(p.data.invoice_id not in balances for p in received.values()), "some pay platform invoices (R14)"
    assert sum(p.data.invoice_id in balances for p in received.values()) >= 5
    assert len(payouts) >= 2, "the payout cadence ran during the run, settle() paid out the rest"
    check_payouts(payouts, received, failed)


async def test_helpers_publish_exactly_the_events_they_return(kafka_bootstrap, unique):
    tenant = f"plat-helpers-{unique}"
    async with PlatformEmulator(kafka_bootstrap, tenants=(tenant,), seed=5) as platform:
        balances = await sync_invoices(kafka_bootstrap, tenant)
        await platform.wait_for_invoices(tenant, count=len(balances))
        first, second = sorted(balances, key=balances.get, reverse=True)[:2]
        full = await platform.pay(first, tenant_id=tenant, method="ach")
        part = await platform.pay(second, "100.25", tenant_id=tenant, method="card")
        with pytest.raises(ValueError):
            await platform.pay(second, balances[second], tenant_id=tenant)  # 100.25 of it is gone already
        own = await platform.pay_platform_invoice(tenant, "42.00", currency="USD", method="check")
        failure = await platform.fail(part, "chargeback_fraudulent")
        payout = await platform.payout([full.data.payment_id, own.data.payment_id], fees=[("processing", "2.40")])
        with pytest.raises(ValueError):
            await platform.payout([part.data.payment_id])  # failed payments are not paid out
    assert full.data.amount == balances[first]
    assert part.data.surcharge == Decimal("3.01")
    assert payout.data.gross_amount == balances[first] + Decimal("42.00")
    assert payout.data.net_amount == payout.data.gross_amount - Decimal("2.40")
    payments = await tenant_records(kafka_bootstrap, topics.PLATFORM_PAYMENTS, tenant, at_least=4)
    [payout_record] = await tenant_records(kafka_bootstrap, topics.PLATFORM_PAYOUTS, tenant, at_least=1)
    assert [r.value for r in payments] == [e.to_bytes() for e in (full, part, own, failure)]
    assert payout_record.value == payout.to_bytes()
    validated(payments, topics.PLATFORM_PAYMENTS, tenant)

    async with PlatformEmulator(kafka_bootstrap, tenants=(tenant,), resume=True) as again:
        await again.caught_up()
        assert again.summary()["counts"] == platform.summary()["counts"]
        assert again.summary()["totals"] == platform.summary()["totals"]
