"""The dashboard's reads and its one action on payment-reconciler: the newest payments with their
state, payments written per hour, and "retry now" only where a retry can help."""
from __future__ import annotations

import httpx
import pytest

from sb_runtime.tokens import mint_tenant_token
from sb_writeback.testing import connection_changed

from payment_reconciler.testing import payment_received

from .conftest import SIGNING_KEY, TIMEZONE
from .test_payments_to_netsuite import connect, netsuite_invoice, outcome_of

pytestmark = pytest.mark.asyncio(loop_scope="module")


async def test_the_newest_payments_their_hours_and_a_retry_where_it_can_help(world, running_service):
    own = {"Authorization": f"Bearer {mint_tenant_token(SIGNING_KEY, world.tenant_id)}"}
    other = {"Authorization": f"Bearer {mint_tenant_token(SIGNING_KEY, 'someone-else')}"}
    base = f"/v1/tenants/{world.tenant_id}"
    await world.send(connection_changed(world.tenant_id, world.account_id, TIMEZONE))  # no account setup yet
    invoice_id, _ = await netsuite_invoice(world, "40.00")
    await world.send(payment_received(world.tenant_id, "pay-w", invoice_id, "15.00"))
    await outcome_of(world, "pay-w", "waiting")

    transport = httpx.ASGITransport(app=running_service.app)
    async with httpx.AsyncClient(transport=transport, base_url="http://reconciler") as http:
        waiting = (await http.get(f"{base}/payments", headers=own)).json()["items"]
        retried = await http.post(f"{base}/payments/pay-w/retry", headers=own)
        await connect(world)
        await outcome_of(world, "pay-w", "written")
        written = (await http.get(f"{base}/payments", params={"state": "written"}, headers=own)).json()["items"]
        hours = (await http.get(f"{base}/payments-per-hour", headers=own)).json()["items"]
        not_retryable = await http.post(f"{base}/payments/pay-w/retry", headers=own)
        missing = await http.post(f"{base}/payments/no-such-payment/retry", headers=own)
        foreign = await http.get(f"{base}/payments", headers=other)

    assert [(p["payment_id"], p["state"], p["retryable"]) for p in waiting] == [("pay-w", "waiting", True)]
    assert "undeposited_funds" in waiting[0]["reason"] and retried.status_code == 202
    assert [(p["payment_id"], p["invoice_id"], p["amount"], p["retryable"]) for p in written] == \
        [("pay-w", invoice_id, "15.00", False)]
    assert written[0]["netsuite_id"] and written[0]["received_at"]
    assert sum(hour["done"] for hour in hours) == 1
    assert (not_retryable.status_code, missing.status_code, foreign.status_code) == (409, 409, 404)
