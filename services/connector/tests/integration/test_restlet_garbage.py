"""A bundle RESTlet that answers HTML or garbage for some invoices: an action item for each of those
invoices' PDFs, and every other PDF and record still syncs."""
from __future__ import annotations

from contracts import topics
from netsuite_client import NetSuiteClient
from netsuite_client.testing import tenant_config_for_emulator

from connector.testing import TopicWatcher, connect_through_form, running_connector, wait_for_status

SEED = {"customers": 3, "invoices": 10, "months": 2, "random_seed": 3}
INVOICES = "SELECT id FROM transaction WHERE type = 'CustInvc' AND voided = 'F' ORDER BY id"
SPOILS = {"html": "with an HTML page, not JSON", "garbage": "with text, not JSON",
          "no_base64": "without a base64 document", "not_pdf": "with something that is not a PDF"}


async def test_spoiled_pdf_answers_become_action_items_for_those_invoices_only(
        ns, make_settings, callback_port, kafka_bootstrap, unique):
    account = ns.create_account(seed=SEED)
    async with NetSuiteClient(tenant_config_for_emulator(ns.url, account)) as user:
        invoice_ids = [row["id"] for row in await user.suiteql.query_all(INVOICES)]
    spoiled = dict(zip(invoice_ids, SPOILS))
    ns.patch_account(account["account_id"], restlet_answer=spoiled)
    tenant = f"t-{unique}"
    async with running_connector(make_settings(pdf_initial_scope="all"), callback_port) as (url, _), \
            TopicWatcher(kafka_bootstrap, [topics.NETSUITE_INVOICES, topics.NETSUITE_INVOICE_PDFS, topics.ACTION_ITEMS], tenant) as watcher:
        page = await connect_through_form(url, tenant, account["account_id"])
        assert page.status_code == 200, page.text

        def pdf_errors(state):
            return {item["netsuite_id"]: item["message"] for item in state["action_items"]
                    if item["kind"] == "sync_error" and "PDF" in item["message"]}

        state = await wait_for_status(url, tenant, lambda state: set(pdf_errors(state)) == set(spoiled),
                                      message="an action item per spoiled PDF")
        for invoice_id, kind in spoiled.items():
            assert f"the invoice PDF could not be fetched: the PDF RESTlet answered {SPOILS[kind]}" \
                in pdf_errors(state)[invoice_id]
        fine = set(invoice_ids) - set(spoiled)
        fetched = lambda w: {e["data"]["netsuite_id"] for e in w.of_type("InvoicePdfFetched")}  # noqa: E731
        await watcher.wait_for(lambda w: fetched(w) >= fine, message="every other invoice's PDF")
        assert not fetched(watcher) & set(spoiled)
        changed = lambda w: {e["data"]["netsuite_id"] for e in w.of_type("InvoiceChanged")}  # noqa: E731
        await watcher.wait_for(lambda w: changed(w) >= set(invoice_ids), message="every invoice, spoiled PDF or not")
        raised = await watcher.wait_for(lambda w: {e["data"]["netsuite_id"] for e in w.of_type("ActionItemRaised")}
                                        >= set(spoiled) or None, message="the action items on their topic")
        assert raised
