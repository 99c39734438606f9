"""``suitebridge resync``: the connector re-reads one tenant's window; other tenants and correct data stay untouched.

The connector's resync endpoint is specified in docs/decisions/ops-resync.md; the tool's behaviour
against a connector without it (a clear error, exit 2) is tested too.
"""
from __future__ import annotations

import datetime as dt
import re

import pytest

from devstack.ports import free_port
from sb_ops.connector import RESYNC
from sb_runtime.testing import wait_until

READ_ONLY = ("POST /query/v1/suiteql", "POST /auth/oauth2/v1/token")


@pytest.fixture
def emulated(database_url, kafka_bootstrap, unique):
    from connector.testing import callback_url, settings_for
    from netsuite_emulator.testing import running_emulator

    port = free_port()
    with running_emulator(oauth_redirect_uris=[callback_url(port)]) as ns:
        settings = settings_for(ns.url, ns.oauth2, database_url, kafka_bootstrap, f"connector_ops_{unique}", port,
                                pdf_initial_scope="none")
        yield ns, settings, port


async def test_resync_against_a_connector_without_the_endpoint_names_it(cli):
    from fastapi import FastAPI

    from sb_runtime.http import add_error_handlers
    from sb_runtime.testing import served

    older = FastAPI()  # a connector from before the endpoint: FastAPI's own 404 in our error envelope
    add_error_handlers(older)
    async with served(older) as url:
        result = await cli("--connector-url", url, "--admin-token", "x", "resync", "--tenant", "t1")
    assert result.exit_code == 2
    assert f"the connector does not serve POST {RESYNC}" in " ".join(result.output.split())


async def test_resync_rereads_one_tenants_window_and_changes_nothing_that_was_right(cli, ops, emulated, database_url):
    from connector.testing import ADMIN_TOKEN, connect_through_form, running_connector, status

    ns, settings, port = emulated
    schema = settings.database_schema
    accounts = [ns.create_account(seed={"customers": 2, "invoices": 6, "months": 3, "random_seed": n})["account_id"]
                for n in (1, 2)]
    tenants = [f"resync-a-{schema[-10:]}", f"resync-b-{schema[-10:]}"]
    async with running_connector(settings, port) as (url, _):
        for tenant, account in zip(tenants, accounts):
            assert (await connect_through_form(url, tenant, account)).status_code == 200
        for tenant in tenants:
            await wait_until(lambda t=tenant: _connected(status, url, t), timeout_s=90, message=f"{tenant} synced")
        before = {t: await _published(ops, database_url, schema, t) for t in tenants}
        assert all(before.values())  # both initial syncs published events
        shown = await cli("--connector-url", url, "--admin-token", ADMIN_TOKEN, "status", "--group", "none=")
        assert all(re.search(rf"{t}\s*│\s*connected", shown.output) for t in tenants), shown.output
        requests = [ns.stats(account)["requests"] for account in accounts]

        since = (dt.date.today() - dt.timedelta(days=62)).isoformat()
        result = await cli("--connector-url", url, "--admin-token", ADMIN_TOKEN, "resync", "--tenant", tenants[0],
                           "--since", since)
        assert result.exit_code == 0, result.output
        await wait_until(lambda: _reread(ns, accounts, requests), timeout_s=60, message="tenant A re-read")
        await wait_until(lambda: _resync_done(ops, database_url, schema, tenants[0]), timeout_s=60,
                         message="resync done")

    after = {t: await _published(ops, database_url, schema, t) for t in tenants}
    assert set(after[tenants[0]]) == set(before[tenants[0]])  # re-read: no event id that was not there before
    assert after[tenants[1]] == before[tenants[1]]  # the other tenant published nothing new
    assert await _writes_since(ns, accounts[0], requests[0]) == 0  # a resync reads NetSuite, never writes


async def _connected(status, url: str, tenant: str) -> bool:
    state = await status(url, tenant)
    return state["status"] == "connected" and (state.get("initial_sync") or {}).get("phase") == "done"


async def _published(ops, database_url: str, schema: str, tenant: str) -> dict[str, int]:
    """Event id → outbox rows of the tenant's NetSuite change events (published or not)."""
    rows = await ops.fetch(database_url, f'''SELECT headers->>'event_id' AS event_id, count(*) AS n
                                             FROM "{schema}".outbox
                                             WHERE topic LIKE 'netsuite.%' AND topic <> 'netsuite.setup.v1'
                                             AND convert_from(key, 'UTF8') LIKE $1 GROUP BY 1''', f"{tenant}:%")
    return {row["event_id"]: row["n"] for row in rows}


async def _resync_done(ops, database_url: str, schema: str, tenant: str) -> bool:
    return await ops.fetchval(database_url, f'SELECT resync_from IS NULL FROM "{schema}".tenant_schedule '
                              "WHERE tenant_id = $1", tenant)


async def _writes_since(ns, account: str, before: dict) -> int:
    now = ns.stats(account)["requests"]
    return sum(n - before.get(route, 0) for route, n in now.items()
               if route.split(" ")[0] in ("POST", "PATCH", "PUT", "DELETE") and route not in READ_ONLY)


def _suiteql(requests: dict) -> int:
    return requests.get("POST /query/v1/suiteql", 0)


async def _reread(ns, accounts: list[str], before: list[dict]) -> bool:
    now = [ns.stats(account)["requests"] for account in accounts]
    grown = [_suiteql(n) - _suiteql(b) for n, b in zip(now, before)]
    return grown[0] > grown[1]  # both are polled on the same schedule; only A re-reads a window
