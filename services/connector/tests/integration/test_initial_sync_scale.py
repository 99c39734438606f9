"""Initial sync: crash and resume without re-reading finished pages; past SuiteQL's row cap."""
from __future__ import annotations


import pytest
from sb_runtime.testing import wait_until
from contracts import topics

from connector.testing import TopicWatcher, connect_through_form, running_connector, wait_for_status

# Long poll intervals: every SuiteQL call below is initial-sync work, so the emulator's counts are exact.
QUIET = dict(poll_interval_s=600, customers_poll_interval_s=600, pdf_initial_scope="none", lease_ttl_s=3,
             initial_sync_slice_s=0.5)


def suiteql_calls(ns, account_id: str) -> int:
    return ns.stats(account_id)["requests"].get("POST /query/v1/suiteql", 0)


async def wait_status(url: str, tenant: str, wanted: str, timeout_s: float = 120) -> dict:
    return await wait_for_status(url, tenant, lambda state: state["status"] == wanted, timeout_s=timeout_s,
                                 message=f"status {wanted}")


async def test_a_crash_mid_sync_resumes_without_rereading_finished_pages(ns, make_settings, callback_port, unique,
                                                                         kafka_bootstrap):
    page_size = 20
    settings = make_settings(page_size=page_size, **QUIET)
    account = ns.create_account(seed={"customers": 5, "invoices": 240, "months": 30, "random_seed": 21})
    account_id = account["account_id"]
    ns.patch_account(account_id, latency_ms=15)
    tenant = f"t-{unique}"
    async with TopicWatcher(kafka_bootstrap, [topics.NETSUITE_INVOICES], tenant) as watcher:
        async with running_connector(settings, callback_port) as (url, app):
            await connect_through_form(url, tenant, account_id)
            pool = app.state.shell.pool

            async def three_pages_done():
                return await pool.fetchval("SELECT coalesce(sum(pages), 0) FROM initial_checkpoint "
                                           "WHERE tenant_id = $1 AND stream = 'invoices'", tenant) >= 3

            await wait_until(three_pages_done, timeout_s=30, interval_s=0.02, message="three invoice pages")
        # The first instance is gone mid-sync (stopped, it hands the lease over; crashed, the lease expires).
        marks = await checkpoints(settings, tenant)
        state = await pool_state(settings, tenant)
        assert state["phase"] != "done"
        ns.patch_account(account_id, latency_ms=0)
        ns.reset_stats(account_id)
        async with running_connector(settings) as (url, _):
            await wait_status(url, tenant, "connected")
        resumed = suiteql_calls(ns, account_id)
        total = ns.get_account(account_id)["records"]["invoice"]
        existing = lambda w: {e["data"]["netsuite_id"] for e in w.events  # noqa: E731 - deletes are not invoices
                              if e["data"].get("reason") != "deleted"}
        await watcher.wait_for(lambda w: len(existing(w)) >= total)
        assert len(existing(watcher)) == total
    # The second instance read exactly the pages after the last committed checkpoint of each
    # range: each remaining page costs its header query plus one detail query, a range with
    # nothing left one empty query; nothing before a checkpoint is read again.
    expected = await remaining_calls(ns, account, state["cutoff"], marks, page_size)
    assert resumed == expected, (resumed, expected, marks)


# Deposits' details are REST GETs of the deposit record, not SuiteQL (docs/decisions/connector-deposits.md).
DETAILED = {"invoices": True, "payments": True, "credits": True, "deposits": False, "customers": False}
ONEWORLD_PROBE = 1  # each process probes an account once (docs/decisions/connector-oneworld.md)
WHERE = {"invoices": "type = 'CustInvc'", "payments": "type = 'CustPymt'", "credits": "type = 'CustCred'",
         "deposits": "type = 'Deposit'"}


async def remaining_calls(ns, account: dict, cutoff, marks: dict, page_size: int) -> int:
    """What finishing every range costs from its checkpoint: a header query per remaining page
    (plus one detail query for detailed streams), one empty query for a range with nothing left."""
    from netsuite_client import NetSuiteClient
    from netsuite_client.testing import tenant_config_for_emulator

    calls = ONEWORLD_PROBE
    async with NetSuiteClient(tenant_config_for_emulator(ns.url, account)) as user:
        for (phase, stream, _), (last_id, upper_id, done) in marks.items():
            if done:
                continue
            upper = "" if upper_id is None else f" AND id <= {upper_id}"
            if stream == "customers":
                query = f"SELECT COUNT(*) AS n FROM customer WHERE id > {last_id}{upper}"
            else:
                operator = ">=" if phase == "recent" else "<"
                query = (f"SELECT COUNT(*) AS n FROM transaction WHERE {WHERE[stream]} AND trandate {operator} "
                         f"TO_DATE('{cutoff.isoformat()}', 'YYYY-MM-DD') AND id > {last_id}{upper}")
            rows = int((await user.suiteql.query_page(query, limit=1)).items[0]["n"])
            pages = -(-rows // page_size)
            calls += pages * (2 if DETAILED[stream] else 1) if rows else 1
    return calls


async def checkpoints(settings, tenant: str) -> dict:
    """(phase, stream, part) -> (last_id, upper_id, done): every range planned when the sync started."""
    import asyncpg

    connection = await asyncpg.connect(settings.database_url.get_secret_value())
    try:
        rows = await connection.fetch(f'SELECT phase, stream, part, last_id, upper_id, done FROM '
                                      f'"{settings.database_schema}".initial_checkpoint WHERE tenant_id = $1', tenant)
    finally:
        await connection.close()
    return {(row["phase"], row["stream"], row["part"]): (row["last_id"], row["upper_id"], row["done"]) for row in rows}


async def pool_state(settings, tenant: str) -> dict:
    import asyncpg

    connection = await asyncpg.connect(settings.database_url.get_secret_value())
    try:
        row = await connection.fetchrow(f'SELECT phase, cutoff FROM "{settings.database_schema}".initial_sync '
                                        "WHERE tenant_id = $1", tenant)
    finally:
        await connection.close()
    return dict(row)


async def test_an_account_past_the_suiteql_row_cap_syncs_completely(ns, make_settings, callback_port, unique,
                                                                    kafka_bootstrap):
    """The same code path as an account with more than 100,000 invoices, with a cap of 40 rows."""
    account = ns.create_account(seed={"customers": 8, "invoices": 150, "months": 30, "random_seed": 4})
    ns.patch_account(account["account_id"], suiteql_row_cap=40)
    tenant = f"t-{unique}"
    async with TopicWatcher(kafka_bootstrap, [topics.NETSUITE_INVOICES, topics.NETSUITE_PAYMENTS], tenant) as watcher, \
            running_connector(make_settings(pdf_initial_scope="none"), callback_port) as (url, _):
        await connect_through_form(url, tenant, account["account_id"])
        state = await wait_status(url, tenant, "connected")
        records = ns.get_account(account["account_id"])["records"]
        existing = lambda w: {e["data"]["netsuite_id"] for e in w.events  # noqa: E731
                              if e["event_type"].startswith("Invoice") and e["data"].get("reason") != "deleted"}
        await watcher.wait_for(lambda w: len(existing(w)) >= records["invoice"])
        invoices = [e for e in watcher.events if e["event_type"] == "InvoiceChanged"]
        assert len(existing(watcher)) == records["invoice"] > 40
        assert state["initial_sync"]["invoices_synced"] == records["invoice"]
        assert sum(len(e["data"]["lines"]) for e in invoices) > 40  # lines were read past the cap too
        assert not state["action_items"], state["action_items"]
        payments = lambda w: {e["data"]["netsuite_id"] for e in w.events  # noqa: E731
                              if e["event_type"] == "CustomerPaymentChanged"}
        await watcher.wait_for(lambda w: len(payments(w)) >= records["customerpayment"], message="payments")
        assert len(payments(watcher)) == records["customerpayment"]


@pytest.mark.slow
@pytest.mark.timeout(3600)
async def test_an_account_with_more_than_100000_invoices_syncs_completely(ns, make_settings, callback_port, unique):
    account = ns.create_account(seed={"customers": 300, "invoices": 100_500, "months": 48, "random_seed": 1})
    tenant = f"t-{unique}"
    settings = make_settings(pdf_initial_scope="none", initial_sync_slice_s=30)
    async with running_connector(settings, callback_port) as (url, app):
        await connect_through_form(url, tenant, account["account_id"])
        state = await wait_status(url, tenant, "connected", timeout_s=3000)
        published = await app.state.shell.pool.fetchval(  # invoices, not the archive of earlier deletes
            "SELECT count(DISTINCT key) FROM outbox WHERE topic = $1 AND position($2::bytea in value) = 0",
            topics.NETSUITE_INVOICES, b'"reason":"deleted"')
    total = ns.get_account(account["account_id"])["records"]["invoice"]
    assert total > 100_000
    assert state["initial_sync"]["invoices_synced"] == total
    assert published == total
