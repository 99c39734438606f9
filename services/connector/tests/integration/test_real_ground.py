"""The connector on real NetSuite ground: subsidiaries from the main line (none without OneWorld),
the invoice lines the customer sees, and a record the role may not read failing only its stream."""
from __future__ import annotations

from contracts import topics
from netsuite_client import NetSuiteClient
from netsuite_client.testing import tenant_config_for_emulator
from sb_runtime.testing import wait_until

from connector.testing import TopicWatcher, connect_through_form, running_connector, status

SEED = {"customers": 6, "invoices": 80, "months": 6, "random_seed": 5}
TOPICS = [topics.NETSUITE_INVOICES, topics.NETSUITE_CUSTOMERS, topics.ACTION_ITEMS]
VISIBLE_LINES = ("SELECT tl.transaction AS invoice, COUNT(*) AS n FROM transactionline tl JOIN transaction t "
                 "ON t.id = tl.transaction WHERE t.type = 'CustInvc' AND t.voided = 'F' AND tl.mainline = 'F' "
                 "AND tl.taxline = 'F' AND tl.iscogs = 'F' AND tl.kitcomponent = 'F' GROUP BY tl.transaction")
SUBSIDIARIES = ("SELECT tl.transaction AS invoice, tl.subsidiary FROM transactionline tl JOIN transaction t "
                "ON t.id = tl.transaction WHERE t.type = 'CustInvc' AND tl.mainline = 'T'")


async def _connect(ns, make_settings, callback_port, kafka_bootstrap, tenant, account):
    async with running_connector(make_settings(pdf_initial_scope="none"), callback_port) as (url, _), \
            TopicWatcher(kafka_bootstrap, TOPICS, tenant) as watcher:
        await connect_through_form(url, tenant, account["account_id"])

        async def connected():
            state = await status(url, tenant)
            return state if state["status"] == "connected" else None

        state = await wait_until(connected, timeout_s=60, message="the initial sync")
        invoices = lambda w: {e["data"]["netsuite_id"]: e["data"] for e in w.of_type("InvoiceChanged")}  # noqa: E731
        yield state, watcher, invoices, url


async def test_oneworld_invoices_carry_the_main_line_subsidiary_and_only_the_lines_the_customer_sees(
        ns, make_settings, callback_port, kafka_bootstrap, unique):
    account = ns.create_account(seed=SEED)
    async with NetSuiteClient(tenant_config_for_emulator(ns.url, account)) as user:
        visible = {row["invoice"]: int(row["n"]) for row in await user.suiteql.query_all(VISIBLE_LINES)}
        subsidiary = {row["invoice"]: row["subsidiary"] for row in await user.suiteql.query_all(SUBSIDIARIES)}
    async for _, watcher, invoices, _ in _connect(ns, make_settings, callback_port, kafka_bootstrap,
                                                  f"t-{unique}", account):
        await watcher.wait_for(lambda w: set(visible) <= set(invoices(w)), message="every invoice")
        published = invoices(watcher)
        assert {netsuite_id: len(published[netsuite_id]["lines"]) for netsuite_id in visible} == visible
        assert all(published[netsuite_id]["subsidiary"] == subsidiary[netsuite_id] for netsuite_id in visible)
        descriptions = {line["description"] for data in published.values() for line in data["lines"]}
        assert "Sales tax" not in descriptions
        discounts = [line for data in published.values() for line in data["lines"]
                     if line["description"] == "Loyalty discount"]
        assert discounts and all(float(line["amount"]) < 0 for line in discounts)


async def test_a_non_oneworld_account_syncs_without_subsidiaries(ns, make_settings, callback_port, kafka_bootstrap,
                                                                 unique):
    account = ns.create_account(seed=SEED, oneworld=False)
    async for state, watcher, invoices, _ in _connect(ns, make_settings, callback_port, kafka_bootstrap,
                                                      f"t-{unique}", account):
        assert not [item for item in state["action_items"] if item["kind"] == "sync_error"], state["action_items"]
        await watcher.wait_for(lambda w: len(invoices(w)) >= 70, message="the invoices")
        assert all(data["subsidiary"] is None for data in invoices(watcher).values())


async def test_a_record_the_role_may_not_read_fails_its_stream_by_name_and_the_others_go_on(
        ns, make_settings, callback_port, kafka_bootstrap, unique):
    account = ns.create_account(seed=SEED)
    tenant = f"t-{unique}"
    async for _, watcher, invoices, url in _connect(ns, make_settings, callback_port, kafka_bootstrap, tenant,
                                                    account):
        ns.patch_account(account["account_id"], permissions_missing=["deletedrecord"])
        async with NetSuiteClient(tenant_config_for_emulator(ns.url, account)) as user:
            await user.records.update("invoice", "101", {"memo": "changed after the role lost a permission"})

        async def deletions_failed():
            items = (await status(url, tenant))["action_items"]
            return [item for item in items if item["item_id"] == "sync_error:deletions"]

        failed = await wait_until(deletions_failed, timeout_s=60, message="the deletions stream error")
        message = failed[0]["message"]
        assert account["account_id"] in message and "Record 'deletedrecord' was not found" in message
        assert "FROM deletedrecord" in message
        await watcher.wait_for(lambda w: any(e["data"].get("memo") == "changed after the role lost a permission"
                                             for e in w.of_type("InvoiceChanged")), message="the invoice change")
