"""Many tenants: two connector instances share 50 tenants and never poll one at the same time."""
from __future__ import annotations

import asyncio
import time

from connector.testing import PollLog, connect_through_form, running_connector, status

TENANTS = 50


async def test_two_instances_over_50_tenants_never_poll_a_tenant_concurrently(ns, make_settings, callback_port, unique):
    accounts = [ns.create_account(seed={"customers": 1, "invoices": 2, "months": 2, "random_seed": n})
                for n in range(TENANTS)]
    tenants = [f"t{n}-{unique}" for n in range(TENANTS)]
    log = PollLog()
    settings = make_settings(pdf_initial_scope="none", poll_interval_s=1.0, customers_poll_interval_s=1.0,
                             max_concurrent_tenants=6, lease_ttl_s=10)
    async with running_connector(settings, callback_port, observer=log) as (url, first), \
            running_connector(settings, observer=log) as (_, second):
        for start in range(0, TENANTS, 10):
            pages = await asyncio.gather(*(connect_through_form(url, tenant, account["account_id"])
                                           for tenant, account in zip(tenants[start:start + 10],
                                                                      accounts[start:start + 10])))
            assert all(page.status_code == 200 for page in pages), [page.text for page in pages]
        for _ in range(300):
            states = [await status(url, tenant) for tenant in tenants]
            if all(state["status"] == "connected" for state in states):
                break
            await asyncio.sleep(0.2)
        assert all(state["status"] == "connected" for state in states)
        steady = time.monotonic()
        await asyncio.sleep(5)  # several more rounds of polling by both instances
        instances = {first.state.deps.instance_id, second.state.deps.instance_id}
    assert not log.overlaps(), log.overlaps()[:3]
    polled = {span[0] for span in log.spans}
    assert polled == set(tenants)
    by_instance = {instance: {span[0] for span in log.spans if span[1] == instance} for instance in instances}
    assert all(len(seen) >= TENANTS // 4 for seen in by_instance.values()), {k: len(v) for k, v in by_instance.items()}
    rounds = [sum(1 for span in log.spans if span[0] == tenant and span[2] >= steady) for tenant in tenants]
    assert min(rounds) >= 1 and max(rounds) - min(rounds) <= 3, rounds  # fair: no tenant starves
    for account in accounts:  # the NetSuite budget (account limit 15 -> 4 for suitebridge) held
        assert ns.stats(account["account_id"])["max_in_flight"] <= 4
