"""End to end: a NetSuite user changes records in the emulator; the connector publishes the changes;
invoice-sync applies the rules; the read API shows the result (R1, R2, R5, R6, R7, R12, R13)."""
from __future__ import annotations

import hashlib
import uuid
from decimal import Decimal

import httpx
import pytest
from netsuite_client import NetSuiteClient
from netsuite_client.testing import tenant_config_for_emulator, untouched_invoices
from netsuite_emulator.testing import running_emulator

from connector.testing import (INTERNAL_TOKEN, callback_url, connect_through_form, running_connector, settings_for,
                               status)
from devstack.ports import free_port
from sb_runtime.testing import wait_until
from sb_runtime.tokens import mint_tenant_token

from invoice_sync.app import create_app
from invoice_sync.settings import Settings

SEED = {"customers": 4, "invoices": 30, "months": 6, "random_seed": 5}
SIGNING_KEY = "signing-key-e2e"


class ReadApi:
    """invoice-sync's read API, as the partner's tenant token sees it."""

    def __init__(self, app, tenant_id: str):
        self._client = httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://invoice-sync",
                                         headers={"Authorization": f"Bearer {mint_tenant_token(SIGNING_KEY, tenant_id)}"})
        self._prefix = f"/v1/tenants/{tenant_id}"

    async def get(self, path: str, **params) -> httpx.Response:
        return await self._client.get(self._prefix + path, params=params)

    async def all_invoices(self) -> list[dict]:
        items, cursor = [], None
        while True:
            body = (await self.get("/invoices", limit=500, **({"cursor": cursor} if cursor else {}))).json()
            items += body["items"]
            cursor = body["next_cursor"]
            if cursor is None:
                return items

    async def invoice(self, netsuite_id: str) -> dict | None:
        items = (await self.get("/invoices", netsuite_id=netsuite_id)).json()["items"]
        return items[0] if items else None

    async def customer(self, netsuite_id: str) -> dict | None:
        items = (await self.get("/customers", netsuite_id=netsuite_id)).json()["items"]
        return items[0] if items else None

    async def aclose(self) -> None:
        await self._client.aclose()


async def eventually(read, condition, message: str):
    async def check():
        value = await read()
        return value if value is not None and condition(value) else None

    return await wait_until(check, timeout_s=60, interval_s=0.2, message=message)


@pytest.fixture
async def synced(database_url, e2e_bootstrap, unique):
    kafka_bootstrap = e2e_bootstrap  # a broker of this module's own (see conftest)
    """A seeded NetSuite account connected through the connector, with invoice-sync running."""
    port = free_port()
    with running_emulator(oauth_redirect_uris=[callback_url(port)]) as ns:
        account = ns.create_account(seed=SEED)
        tenant = f"e2e-{unique}"
        connector_settings = settings_for(ns.url, ns.oauth2, database_url, kafka_bootstrap, f"connector_e2e_{unique}",
                                          port, token_signing_key=SIGNING_KEY)
        user = NetSuiteClient(tenant_config_for_emulator(ns.url, account))
        async with running_connector(connector_settings, port) as (url, connector):
            # invoice-sync fetches PDFs by reference from the connector's internal listener (decision 0007).
            invoice_sync = create_app(Settings(
                database_url=database_url, kafka_bootstrap_servers=kafka_bootstrap, admin_token="admin-e2e",
                token_signing_key=SIGNING_KEY, consumer_group=f"invoice-sync-e2e-{unique}", relay_poll_interval_s=0.05,
                batch_timeout_ms=20, log_level="warning", connector_url=connector.state.internal_url,
                connector_token=INTERNAL_TOKEN), schema=f"invoice_sync_e2e_{uuid.uuid4().hex[:8]}")
            await invoice_sync.state.shell.start()
            api = ReadApi(invoice_sync, tenant)
            try:
                page = await connect_through_form(url, tenant, account["account_id"])
                assert page.status_code == 200, page.text
                await wait_until(lambda: _connected(url, tenant), timeout_s=60, message="the initial sync")
                yield {"ns": ns, "account": account, "user": user, "api": api}
            finally:
                await api.aclose()
                await user.aclose()
                await invoice_sync.state.shell.stop()


async def _connected(url: str, tenant: str) -> bool:
    return (await status(url, tenant))["status"] == "connected"


async def test_netsuite_changes_reach_the_read_api(synced):
    user, api, ns = synced["user"], synced["api"], synced["ns"]
    invoices = await user.suiteql.query_all("SELECT id FROM transaction WHERE type = 'CustInvc'")
    everything = await wait_until(lambda: _all_there(api, len(invoices)), timeout_s=60, message="every invoice (R1)")
    assert all(i["lines"] and i["total"].count(".") == 1 for i in everything)

    target, other = await untouched_invoices(user, 2)  # the void needs an invoice with nothing applied
    invoice_id, customer_id = target["id"], target["entity"]

    await user.records.update("invoice", invoice_id, {"dueDate": "2031-01-31"})  # R12
    await eventually(lambda: api.invoice(invoice_id), lambda i: i["due_on"] == "2031-01-31", "the due date edit")

    await user.records.create("customerpayment", {  # R13, a partial payment by a NetSuite user
        "customer": {"id": customer_id}, "payment": 1.0,
        "apply": {"items": [{"doc": {"id": invoice_id}, "apply": True, "amount": 1.0}]}})
    expected = str(Decimal(target["foreignamountunpaid"]) - Decimal("1.00"))
    paid = await eventually(lambda: api.invoice(invoice_id), lambda i: i["amount_remaining"] == expected,
                            "the partial payment")
    assert paid["status"] == "partially_paid"

    ns.void_invoice(synced["account"]["account_id"], other["id"])  # R6
    archived = await eventually(lambda: api.invoice(other["id"]), lambda i: i["archived"], "the void")
    assert archived["status"] == "archived"

    await user.records.update("customer", customer_id, {"companyName": "Renamed Ltd"})  # R2
    await eventually(lambda: api.customer(customer_id), lambda c: c["name"] == "Renamed Ltd", "the rename")
    before = await api.customer(customer_id)
    await user.records.update("customer", customer_id, {"isInactive": True})  # R7
    await user.records.update("customer", customer_id, {"companyName": "Renamed Again"})  # same key: behind it
    after = await eventually(lambda: api.customer(customer_id), lambda c: c["name"] == "Renamed Again",
                             "the rename after the inactivation")
    assert after["archived"] is False and after["version"] == before["version"] + 1

    with_pdf = await eventually(lambda: _first_with_pdf(api), lambda i: True, "a fetched PDF (R5)")
    pdf = await api.get(f"/invoices/{with_pdf['id']}/pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert hashlib.sha256(pdf.content).hexdigest() == with_pdf["pdf"]["sha256"]


async def _all_there(api: ReadApi, count: int) -> list[dict] | None:
    found = await api.all_invoices()
    return found if len(found) >= count else None


async def _first_with_pdf(api: ReadApi) -> dict | None:
    return next((i for i in await api.all_invoices() if i["pdf"]["available"]), None)
