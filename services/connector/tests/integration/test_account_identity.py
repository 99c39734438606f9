"""Account identity: a tenant's records are one NetSuite account's; switching accounts needs consent."""
from __future__ import annotations

from contracts import topics
from connector.testing import (
    TopicWatcher, connect_through_form, connect_with_tba, running_connector, status, wait_for_status,
)

SEED = {"customers": 2, "invoices": 4, "months": 2, "random_seed": 5}
STATE = {
    "tenant": "SELECT status, account_id, timezone, first_account_id FROM tenant WHERE tenant_id = $1",
    "credentials": "SELECT account_id, kind, tba_credentials FROM connection_token WHERE tenant_id = $1",
    "initial_sync": "SELECT account_id, phase, synced FROM initial_sync WHERE tenant_id = $1",
    "checkpoints": "SELECT phase, stream, part, last_id, done FROM initial_checkpoint WHERE tenant_id = $1 "
                   "ORDER BY 1, 2, 3",
    "cursors": "SELECT stream, high_water FROM sync_cursor WHERE tenant_id = $1 ORDER BY 1",
}


async def tenant_state(app, tenant: str) -> dict:
    async with app.state.shell.pool.acquire() as connection:
        return {name: [dict(row) for row in await connection.fetch(query, tenant)] for name, query in STATE.items()}


def synced(state: dict) -> bool:
    return state["status"] == "connected" and (state["initial_sync"] or {}).get("phase") == "done"


async def test_reconnecting_to_another_account_is_refused_without_confirmation_and_changes_nothing(
        ns, make_settings, callback_port, unique):
    first, second = ns.create_account(seed=SEED), ns.create_account(seed=SEED)
    tenant = f"t-{unique}"
    async with running_connector(make_settings(), callback_port) as (url, app):
        assert (await connect_with_tba(url, tenant, first)).status_code == 200
        await wait_for_status(url, tenant, synced, timeout_s=120, message="the first account's initial sync")
        before = await tenant_state(app, tenant)
        assert before["checkpoints"]

        refused = await connect_with_tba(url, tenant, second)
        assert refused.status_code == 409, refused.text
        assert refused.json()["error"]["code"] == "account_switch_not_confirmed"
        assert first["account_id"] in refused.json()["error"]["message"]
        page = await connect_through_form(url, tenant, second["account_id"])
        assert page.status_code == 400 and "confirm the switch" in page.text

        assert await tenant_state(app, tenant) == before
        assert before["tenant"][0]["first_account_id"] == first["account_id"]
        assert (await status(url, tenant))["account_id"] == first["account_id"]
        assert (await connect_with_tba(url, tenant, first)).status_code == 200  # the same account: no question

        page = await connect_through_form(url, tenant, second["account_id"], confirm_switch=True)
        assert page.status_code == 200, page.text
        assert (await status(url, tenant))["account_id"] == second["account_id"]
        assert (await tenant_state(app, tenant))["credentials"][0]["kind"] == "oauth2"


async def test_a_confirmed_switch_starts_the_tenants_sync_afresh_in_the_new_accounts_id_scope(
        ns, make_settings, callback_port, unique, kafka_bootstrap):
    first, second = ns.create_account(seed=SEED), ns.create_account(seed=SEED)
    tenant = f"t-{unique}"
    async with running_connector(make_settings(), callback_port) as (url, app), \
            TopicWatcher(kafka_bootstrap, [topics.NETSUITE_SETUP, topics.NETSUITE_INVOICES], tenant) as watcher:
        assert (await connect_with_tba(url, tenant, first)).status_code == 200
        await wait_for_status(url, tenant, synced, timeout_s=120, message="the first account's initial sync")

        switched = await connect_with_tba(url, tenant, second, confirm_switch=True)
        assert switched.status_code == 200, switched.text
        state = await wait_for_status(url, tenant, synced, timeout_s=120, message="the second account's sync")
        assert state["account_id"] == second["account_id"]
        after = await tenant_state(app, tenant)
        assert after["initial_sync"][0]["account_id"] == second["account_id"]
        assert after["tenant"][0]["first_account_id"] == first["account_id"]
        changes = await watcher.wait_for(lambda w: [e for e in w.of_type("ConnectionChanged")
                                                    if e["data"]["netsuite_account_id"] == second["account_id"]])
        assert {e["data"]["id_scope"] for e in changes} == {second["account_id"].upper()}
        assert all(e["data"]["id_scope"] is None for e in watcher.of_type("ConnectionChanged")
                   if e["data"]["netsuite_account_id"] == first["account_id"])
        # The first account's invoices keep their unscoped form; the second account's carry its scope.
        await watcher.wait_for(lambda w: [e for e in w.of_type("InvoiceChanged") if e["data"].get("id_scope")],
                               message="the second account's invoices")
        scopes = {e["data"].get("id_scope") for e in watcher.of_type("InvoiceChanged")}
        assert scopes == {None, second["account_id"].upper()}
