"""R18 account setup, the internal credentials endpoint (decision 0004), action items, reconnect."""
from __future__ import annotations


import httpx
from contracts import topics
from contracts.action_items import ActionItemData, ActionItemRaised, ActionItemResolved
from contracts.envelope import envelope_fields, utc_now
from sb_runtime.kafka import new_producer

from connector.testing import (TopicWatcher, admin_headers, connect_through_form, internal_headers, running_connector,
                               status, wait_for_status)

SEED = {"customers": 2, "invoices": 4, "months": 3, "random_seed": 2}


async def test_account_setup_lists_validates_saves_and_publishes(ns, make_settings, callback_port, unique,
                                                                 kafka_bootstrap):
    account = ns.create_account(seed=SEED)
    tenant = f"t-{unique}"
    async with running_connector(make_settings(), callback_port) as (url, _), \
            TopicWatcher(kafka_bootstrap, [topics.NETSUITE_SETUP], tenant) as watcher, \
            httpx.AsyncClient(base_url=url, headers=admin_headers()) as api:
        await connect_through_form(url, tenant, account["account_id"])
        listed = (await api.get(f"/v1/tenants/{tenant}/netsuite/accounts")).json()["items"]
        undeposited = next(item for item in listed if item["special"] == "UndepFunds")
        assert undeposited["type"] == "other_current_asset"
        banks = (await api.get(f"/v1/tenants/{tenant}/netsuite/accounts", params={"type": "bank"})).json()["items"]
        assert banks and all(item["type"] == "bank" for item in banks)
        assert set(banks[0]) == {"id", "name", "number", "type", "special", "currency", "subsidiary"}
        income = next(item for item in listed if item["type"] == "income")
        expense = next(item for item in listed if item["type"] == "expense")

        wrong = await api.put(f"/v1/tenants/{tenant}/netsuite/accounts",
                              json={"undeposited_funds": banks[0]["id"], "deposit_bank": undeposited["id"]})
        assert wrong.status_code == 422
        assert wrong.json()["error"]["code"] == "invalid_account_choice"
        assert "not the Undeposited Funds account" in wrong.json()["error"]["message"]
        unknown = await api.put(f"/v1/tenants/{tenant}/netsuite/accounts",
                                json={"undeposited_funds": undeposited["id"], "deposit_bank": "99999"})
        assert unknown.status_code == 422
        assert (await status(url, tenant))["accounts"]["deposit_bank"] is None  # nothing saved

        choice = {"undeposited_funds": undeposited["id"], "deposit_bank": banks[0]["id"],
                  "fee_expense": expense["id"], "platform_income": income["id"]}
        saved = await api.put(f"/v1/tenants/{tenant}/netsuite/accounts", json=choice)
        assert saved.status_code == 200, saved.text
        state = await status(url, tenant)
        assert state["accounts"] == choice
        published = await watcher.wait_for(lambda w: w.of_type("AccountSetupSaved"), message="setup event")
        assert published[0]["data"]["deposit_bank"] == banks[0]["id"]
        assert published[0]["data"]["netsuite_account_id"] == account["account_id"]
        assert published[0]["data"]["currencies"]["deposit_bank"] == banks[0]["currency"] == "USD"

        cad_bank = next(item for item in banks if item["currency"] == "CAD")
        saved = await api.put(f"/v1/tenants/{tenant}/netsuite/accounts", json={**choice, "deposit_bank": cad_bank["id"]})
        assert saved.status_code == 200, saved.text
        assert saved.json()["currencies"] == {"undeposited_funds": "USD", "deposit_bank": "CAD", "fee_expense": "USD",
                                              "platform_income": "USD"}
        published = await watcher.wait_for(lambda w: [e for e in w.of_type("AccountSetupSaved")
                                                      if e["data"]["deposit_bank"] == cad_bank["id"]])
        assert published[0]["data"]["currencies"]["deposit_bank"] == "CAD"


async def test_credentials_endpoint_gives_write_back_a_fresh_token(ns, make_settings, callback_port, unique):
    account = ns.create_account(seed=SEED)
    account_id = account["account_id"]
    tenant = f"t-{unique}"
    ns.patch_account(account_id, access_token_ttl_s=60)  # inside the refresh margin: every call refreshes
    async with running_connector(make_settings(), callback_port) as (url, app), \
            httpx.AsyncClient(base_url=url) as api:
        await connect_through_form(url, tenant, account_id)
        answer = await api.get(f"{app.state.internal_url}/internal/tenants/{tenant}/netsuite/credentials",
                               headers=internal_headers())
        assert answer.status_code == 200, answer.text
        credentials = answer.json()
        assert credentials["account_id"] == account_id
        assert credentials["timezone"] == "America/Los_Angeles"
        assert credentials["rest_base_url"] == f"{ns.url}/accounts/{account_id}"
        assert ns.stats(account_id)["requests"]["POST /auth/oauth2/v1/token"] >= 2  # refreshed before expiry
        query = await api.post(f"{credentials['rest_url']}/query/v1/suiteql", params={"limit": 1},
                               json={"q": "SELECT id FROM customer"},
                               headers={"Authorization": f"Bearer {credentials['access_token']}",
                                        "Prefer": "transient"})
        assert query.status_code == 200, query.text


async def test_a_revoked_refresh_token_asks_the_partner_to_reconnect(ns, make_settings, callback_port, unique,
                                                                     kafka_bootstrap):
    account = ns.create_account(seed=SEED)
    tenant = f"t-{unique}"
    async with running_connector(make_settings(), callback_port) as (url, _), \
            TopicWatcher(kafka_bootstrap, [topics.NETSUITE_SETUP], tenant) as watcher:
        await connect_through_form(url, tenant, account["account_id"])
        ns.revoke_tokens(account["account_id"])
        state = await wait_for_status(url, tenant, lambda state: state["status"] == "error", timeout_s=10,
                                      message="the revoked token to show")
        assert "reconnect NetSuite" in state["last_error"]
        await watcher.wait_for(lambda w: [e for e in w.of_type("ConnectionChanged") if e["data"]["status"] == "error"])
        page = await connect_through_form(url, tenant, account["account_id"])  # reconnecting resumes
        assert page.status_code == 200
        assert (await status(url, tenant))["status"] in ("pending", "connected")


async def test_action_items_from_other_services_show_in_the_status(make_settings, callback_port, unique,
                                                                   kafka_bootstrap):
    tenant = f"t-{unique}"
    data = ActionItemData(item_id=f"revert-{unique}", kind="revert_invoice_in_netsuite", invoice_id="inv-1",
                          message="Revert invoice INV1042 to unpaid in NetSuite.", source="invoice-sync", at=utc_now())
    raised = ActionItemRaised(**envelope_fields("ActionItemRaised", tenant, data.item_id), data=data)
    producer = new_producer(kafka_bootstrap)
    await producer.start()
    try:
        async with running_connector(make_settings(), callback_port) as (url, _):
            await producer.send_and_wait(topics.ACTION_ITEMS, raised.to_bytes(), key=raised.kafka_key())
            items = (await wait_for_status(url, tenant, lambda state: state["action_items"], timeout_s=30,
                                           message="the raised action item"))["action_items"]
            assert items[0]["kind"] == "revert_invoice_in_netsuite"
            assert items[0]["invoice_id"] == "inv-1" and "INV1042" in items[0]["message"]
            resolved_data = data.model_copy(update={"at": utc_now()})
            resolved = ActionItemResolved(**envelope_fields("ActionItemResolved", tenant, data.item_id, "r"),
                                          data=resolved_data)
            await producer.send_and_wait(topics.ACTION_ITEMS, resolved.to_bytes(), key=resolved.kafka_key())
            await wait_for_status(url, tenant, lambda state: not state["action_items"], timeout_s=30,
                                  message="the resolved action item to go")
    finally:
        await producer.stop()
