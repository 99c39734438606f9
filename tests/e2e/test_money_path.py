"""The whole integration as processes: NetSuite invoices reach the platform, a platform payment
lands in NetSuite once, a payout becomes a bank deposit — checked in NetSuite itself."""
from __future__ import annotations

import uuid
from decimal import Decimal

import httpx

from contracts.ids import netsuite_external_id
from devstack.demo import choose_accounts, connect_through_oauth
from sb_runtime.testing import wait_until

from .browsing import publish as _publish


def _get(url: str, token: str, **params):
    return httpx.get(url, headers={"Authorization": f"Bearer {token}"}, params=params, timeout=20)


def _suiteql(running: dict, account: str, query: str) -> list[dict]:
    """Read NetSuite through the emulator's SuiteQL with the account's OAuth 2.0 access token."""
    credentials = _get(f"{running['connector_internal_url']}/internal/tenants/{running['tenant']}/netsuite/credentials",
                       running["internal_token"]).json()
    answer = httpx.post(f"{credentials['rest_url']}/query/v1/suiteql", json={"q": query}, timeout=20,
                        headers={"Authorization": f"Bearer {credentials['access_token']}", "Prefer": "transient"})
    answer.raise_for_status()
    return answer.json()["items"]


async def test_invoice_payment_and_payout_flow_through_every_service(running, netsuite_account):
    tenant = running["tenant"] = f"msp-{uuid.uuid4().hex[:8]}"
    account = f"TSTDRV{uuid.uuid4().int % 10**7:07d}"
    netsuite_account(account, {"customers": 3, "invoices": 10, "months": 2, "random_seed": 11})
    connect_through_oauth(running["connector_url"], running["admin_token"], tenant, account)

    async def connected():
        status = _get(f"{running['connector_url']}/v1/tenants/{tenant}/netsuite", running["admin_token"]).json()
        return status["status"] == "connected"

    await wait_until(connected, timeout_s=180, interval_s=0.5, message="initial sync to finish")
    choose_accounts(running["connector_url"], running["admin_token"], tenant)

    async def open_invoice():
        items = _get(f"{running['invoice_sync_url']}/v1/tenants/{tenant}/invoices", running["admin_token"],
                     status="open").json()["items"]
        return items[0] if items else None

    invoice = await wait_until(open_invoice, timeout_s=120, message="an open invoice on the platform")
    payment_id = f"pay_{uuid.uuid4().hex[:10]}"
    await _publish(running["kafka_bootstrap_servers"], "platform.payments.v1", tenant, "PaymentReceived", {
        "payment_id": payment_id, "invoice_id": invoice["id"], "customer_id": invoice["customer_id"],
        "amount": invoice["amount_remaining"], "currency": invoice["currency"], "method": "ach",
        "received_at": "2026-11-26T10:15:00Z"})

    async def paid_on_platform():
        current = _get(f"{running['invoice_sync_url']}/v1/tenants/{tenant}/invoices/{invoice['id']}",
                       running["admin_token"]).json()
        written = [p for p in current.get("payments", []) if p["payment_id"] == payment_id and p["status"] == "written"]
        return current if written and current["status"] == "paid" else None

    paid = await wait_until(paid_on_platform, timeout_s=120, message="the invoice paid via the platform")
    assert paid["paid_via_platform"] is True and Decimal(paid["amount_remaining"]) == 0

    rows = _suiteql(running, account, f"SELECT id, foreignamountunpaid FROM transaction WHERE id = {invoice['netsuite_id']}")
    assert Decimal(rows[0]["foreignamountunpaid"]) == 0
    external_id = netsuite_external_id("pay", tenant, payment_id)
    payments = _suiteql(running, account, f"SELECT id FROM transaction WHERE type = 'CustPymt' AND externalid = '{external_id}'")
    assert len(payments) == 1

    await _publish(running["kafka_bootstrap_servers"], "platform.payouts.v1", tenant, "DepositPosted", {
        "payout_id": f"po_{uuid.uuid4().hex[:8]}", "currency": invoice["currency"], "arrival_date": "2026-11-27",
        "gross_amount": invoice["amount_remaining"], "fee_amount": "0.00", "net_amount": invoice["amount_remaining"],
        "payment_ids": [payment_id], "fees": []})

    async def deposited():
        found = _suiteql(running, account, f"SELECT id FROM transaction WHERE type = 'Deposit' AND externalid LIKE 'sb-payout-{tenant}-%'")
        return found

    deposits = await wait_until(deposited, timeout_s=120, message="the payout's bank deposit in NetSuite")
    assert len(deposits) == 1
    status = _get(f"{running['connector_url']}/v1/tenants/{tenant}/netsuite", running["admin_token"]).json()
    assert status["status"] == "connected"
