"""Many tenants: two connector instances share 50 tenants and never poll one at the same time."""
from __future__ import annotations

import asyncio
import time

from sb_runtime.testing import wait_until

from connector.testing import PollLog, connect_through_form, running_connector, until_connected

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
        for tenant in tenants:
            await until_connected(url, tenant)
        steady = time.monotonic()
        rounds = lambda: [sum(1 for span in log.spans if span[0] == tenant and span[2] >= steady)  # noqa: E731
                          for tenant in tenants]

        async def every_tenant_polled_twice_more():
            return min(rounds()) >= 2

        await wait_until(every_tenant_polled_twice_more, timeout_s=30, interval_s=0.1,
                         message="two more polls of every tenant, shared by both instances")
        instances = {first.state.shell.deps.instance_id, second.state.shell.deps.instance_id}
    assert not log.overlaps(), log.overlaps()[:3]
    polled = {span[0] for span in log.spans}
    assert polled == set(tenants)
    by_instance = {instance: {span[0] for span in log.spans if span[1] == instance} for instance in instances}
    assert all(len(seen) >= TENANTS // 4 for seen in by_instance.values()), {k: len(v) for k, v in by_instance.items()}
    assert max(rounds()) - min(rounds()) <= 3, rounds()  # fair: no tenant starves
    for account in accounts:  # the NetSuite budget (account limit 15 -> 4 for suitebridge) held
        assert ns.stats(account["account_id"])["max_in_flight"] <= 4
