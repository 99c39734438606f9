"""NetSuite access through the connector's credentials endpoint (decision 0004), against the real
emulator with a real OAuth 2.0 token: cached, refreshed after a 401, tenant-scoped, never leaked."""
import asyncio
import httpx
import pytest
from netsuite_client import UnlimitedBudget

from sb_writeback.access import ConnectorCredentials, NotConnected
from sb_writeback.clients import NetSuiteClients
from sb_writeback.testing import fake_connector, oauth2_access, tba_access

ADMIN = "admin-token-for-tests"


async def test_a_client_reads_netsuite_with_the_connectors_token_and_asks_again_after_a_401(emulator):
    account = await asyncio.to_thread(emulator.create_account, seed={"customers": 1, "invoices": 0})
    accesses = {"t1": await oauth2_access(emulator.url, account)}
    with fake_connector(accesses, ADMIN) as connector_url:
        async with httpx.AsyncClient() as http:
            clients = NetSuiteClients(ConnectorCredentials(http, connector_url, ADMIN), http,
                                      lambda tenant, limit: UnlimitedBudget())
            client, access = await clients.for_tenant("t1")
            assert (await client.records.get("customer", "1"))["id"] == "1"

            await asyncio.to_thread(emulator.revoke_tokens, account["account_id"])
            accesses["t1"] = await oauth2_access(emulator.url, account)  # what a refreshing connector serves
            assert (await client.records.get("customer", "1"))["id"] == "1"
            assert (await clients.source.access("t1")).access_token == accesses["t1"].access_token


async def test_a_tba_tenant_is_written_with_the_tba_set_the_connector_serves(emulator):
    account = await asyncio.to_thread(emulator.create_account, seed={"customers": 1, "invoices": 0})
    accesses = {"t1": tba_access(emulator.url, account)}
    with fake_connector(accesses, ADMIN) as connector_url:
        async with httpx.AsyncClient() as http:
            clients = NetSuiteClients(ConnectorCredentials(http, connector_url, ADMIN), http,
                                      lambda tenant, limit: UnlimitedBudget())
            client, access = await clients.for_tenant("t1")
            assert access.tba is not None and access.access_token is None and access.expires_at is None
            customer = await client.records.create("customer", {"companyName": "Signed with TBA", "subsidiary": {"id": "1"}})
            assert (await client.records.get("customer", customer))["companyName"] == "Signed with TBA"
            assert account["tba"]["token_secret"] not in repr(access)


async def test_a_tenant_without_a_connection_is_not_connected_and_no_token_is_ever_printed(emulator):
    with fake_connector({}, ADMIN) as connector_url:
        async with httpx.AsyncClient() as http:
            with pytest.raises(NotConnected):
                await ConnectorCredentials(http, connector_url, ADMIN).access("nobody")
    account = await asyncio.to_thread(emulator.create_account, seed={"customers": 1, "invoices": 0})
    access = await oauth2_access(emulator.url, account)
    assert access.access_token not in repr(access)
