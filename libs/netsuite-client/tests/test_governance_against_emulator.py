"""Concurrency governance: a budget at the limit never trips 429; shared budgets stay shared."""

import asyncio

import asyncpg
import pytest

from netsuite_client import LocalBudget, PostgresBudgetStore, RetryPolicy, install_schema


async def storm(client, callers=40, calls_each=3):
    async def caller(n):
        for i in range(calls_each):
            await client.records.get("customer", str((n + i) % 5 + 1))

    await asyncio.gather(*(caller(n) for n in range(callers)))


async def test_storm_with_budget_at_the_limit_never_exceeds_it(emulator, account, make_client):
    emulator.patch_account(account["account_id"], concurrency_limit=2, latency_ms=20, latency_jitter_ms=10)
    client = make_client(account, account_concurrency_limit=2, budget_limit=2)
    await storm(client)
    stats = emulator.stats(account["account_id"])
    assert stats["requests"]["GET /record/v1/customer/{id}"] == 120
    assert stats["max_in_flight"] == 2
    assert stats["status_counts"].get("429", 0) == 0
    assert client.budget.max_in_use == 2


class ObservedBudget(LocalBudget):
    """The real budget, noting how far AIMD lowered it."""

    lowest = 10**6

    def on_throttled(self):
        super().on_throttled()
        self.lowest = min(self.lowest, self.effective_limit)


async def test_storm_with_an_oversized_budget_backs_off_and_finishes(emulator, account, make_client):
    emulator.patch_account(account["account_id"], concurrency_limit=2, latency_ms=20)
    budget = ObservedBudget(8, cooldown_s=0.2)
    client = make_client(account, budget=budget, retry=RetryPolicy(max_attempts=12, base_delay_s=0.05, max_delay_s=0.5))
    await storm(client)
    stats = emulator.stats(account["account_id"])
    assert stats["status_counts"]["200"] == 120
    assert stats["status_counts"]["429"] > 0
    assert stats["max_in_flight"] <= 2
    assert budget.lowest <= 4  # AIMD halved the limit (how often depends on timing on a loaded machine)


@pytest.fixture
async def shared_budget_clients(database_url, unique, emulator, account, make_client):
    """Two clients for one tenant, each with its own pool and store, like two processes."""
    schema = f"nsbudget_{unique}"
    resources, clients = [], []
    for _ in range(2):
        pool = await asyncpg.create_pool(database_url, min_size=1, max_size=4)
        await install_schema(pool, schema)
        store = PostgresBudgetStore(pool, schema=schema, poll_interval_s=0.1)
        await store.start()
        resources.append((store, pool))
        clients.append(make_client(account, budget=store.for_tenant("acme", 2)))
    yield clients
    for store, pool in resources:
        await store.close()
    await resources[0][1].execute(f"DROP SCHEMA {schema} CASCADE")
    for _, pool in resources:
        await pool.close()


async def test_postgres_budget_shared_by_two_clients_respects_the_limit(emulator, account, shared_budget_clients):
    emulator.patch_account(account["account_id"], concurrency_limit=2, latency_ms=30)
    first, second = shared_budget_clients
    await asyncio.gather(storm(first, callers=15, calls_each=2), storm(second, callers=15, calls_each=2))
    stats = emulator.stats(account["account_id"])
    assert stats["status_counts"] == {"200": 60}
    assert stats["max_in_flight"] == 2


async def test_restlets_over_the_limit_answer_400_and_are_retried_as_governance(emulator, account, make_client):
    emulator.patch_account(account["account_id"], concurrency_limit=1, latency_ms=20)
    client = make_client(account, budget=LocalBudget(6, cooldown_s=0.2),
                         retry=RetryPolicy(max_attempts=15, base_delay_s=0.05, max_delay_s=0.5))
    bodies = await asyncio.gather(*(client.restlet_get("customscript_sb_invoice_pdf", "customdeploy_sb_invoice_pdf",
                                                       id="101") for _ in range(8)))
    stats = emulator.stats(account["account_id"])
    assert all(body["base64"] for body in bodies)
    assert stats["status_counts"].get("400", 0) > 0 and stats["status_counts"].get("429", 0) == 0


async def test_an_invalid_login_under_load_is_retried_re_signed(emulator, account, make_client):
    from netsuite_client.client import LOAD_401_RETRIES

    # Deterministic: exactly as many refused logins as the client re-signs for (a random
    # load_401_rate made this test fail when no request, or four in a row, drew a 401).
    emulator.patch_account(account["account_id"], load_401_next=LOAD_401_RETRIES)
    client = make_client(account, retry=RetryPolicy(max_attempts=8, base_delay_s=0.01, max_delay_s=0.05))
    emulator.reset_stats(account["account_id"])
    record = await client.records.get("customer", "1")
    later = [await client.records.get("customer", str(n % 5 + 1)) for n in range(5)]
    stats = emulator.stats(account["account_id"])
    assert record["id"] == "1" and len(later) == 5
    assert stats["status_counts"] == {"401": LOAD_401_RETRIES, "200": 6}
    assert emulator.get_account(account["account_id"])["load_401_next"] == 0


async def test_an_invalid_login_that_persists_is_an_authentication_failure(emulator, account, make_client):
    from netsuite_client import AuthenticationError
    from netsuite_client.client import LOAD_401_RETRIES

    emulator.patch_account(account["account_id"], load_401_next=LOAD_401_RETRIES + 5)
    client = make_client(account, retry=RetryPolicy(max_attempts=8, base_delay_s=0.01, max_delay_s=0.05))
    emulator.reset_stats(account["account_id"])
    with pytest.raises(AuthenticationError):
        await client.records.get("customer", "1")
    assert emulator.stats(account["account_id"])["status_counts"]["401"] == 1 + LOAD_401_RETRIES
