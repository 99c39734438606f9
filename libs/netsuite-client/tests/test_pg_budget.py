"""The PostgreSQL budget: one limit across independent pools, expiring leases, prompt wake-ups."""

import asyncio
import time

import asyncpg
import pytest

from netsuite_client import PostgresBudgetStore, install_schema
from sb_runtime.testing import wait_until


@pytest.fixture
async def schema(database_url, unique):
    name = f"nsbudget_{unique}"
    pool = await asyncpg.create_pool(database_url, min_size=1, max_size=2)
    await install_schema(pool, name)
    yield name
    await pool.execute(f"DROP SCHEMA {name} CASCADE")
    await pool.close()


@pytest.fixture
async def stores(database_url, schema):
    """Two stores on two independent pools, as two processes would have."""
    made = []
    for _ in range(2):
        pool = await asyncpg.create_pool(database_url, min_size=1, max_size=6)
        store = PostgresBudgetStore(pool, schema=schema, poll_interval_s=0.2)
        await store.start()
        made.append((store, pool))
    yield [store for store, _ in made]
    for store, pool in made:
        await store.close()
        await pool.close()


async def test_migrations_create_the_lease_table_idempotently(database_url, schema):
    pool = await asyncpg.create_pool(database_url, min_size=1, max_size=2)
    await install_schema(pool, schema)  # second run is a no-op
    columns = await pool.fetch(
        "SELECT column_name FROM information_schema.columns WHERE table_schema = $1 AND table_name = 'budget_lease'",
        schema,
    )
    await pool.close()
    assert {c["column_name"] for c in columns} == {"tenant_key", "slot", "holder", "expires_at"}


async def test_two_pools_share_one_limit(stores):
    budgets = [store.for_tenant("acme", 2) for store in stores]
    active, peak = [0], [0]

    async def work(budget):
        async with budget.slot():
            active[0] += 1
            peak[0] = max(peak[0], active[0])
            await asyncio.sleep(0.01)
            active[0] -= 1

    await asyncio.gather(*(work(budgets[i % 2]) for i in range(60)))
    assert peak[0] == 2


async def test_tenants_do_not_share_slots(stores):
    store = stores[0]
    async with store.for_tenant("a", 1).slot():
        async with asyncio.timeout(1):
            async with store.for_tenant("b", 1).slot():
                pass


async def test_lease_of_a_crashed_holder_expires(database_url, schema):
    pool = await asyncpg.create_pool(database_url, min_size=1, max_size=2)
    crashed = PostgresBudgetStore(pool, schema=schema, lease_ttl_s=0.5, poll_interval_s=0.05)
    await crashed.acquire("acme", 1)  # never released
    started = time.monotonic()
    slot, holder = await asyncio.wait_for(crashed.acquire("acme", 1), 5)
    waited = time.monotonic() - started
    await crashed.release("acme", slot, holder)
    await pool.close()
    assert waited > 0.3  # not before the crashed holder's lease ran out (a slow machine only waits longer)


async def test_release_wakes_a_waiter_in_another_process(stores):
    holder_budget, waiter_budget = (store.for_tenant("acme", 1) for store in stores)
    for store in stores:
        store._poll_interval_s = 10.0  # only the notification can wake the waiter in time
    released_at = []

    held = asyncio.Event()

    async def hold():
        async with holder_budget.slot():
            held.set()
            await asyncio.sleep(0.1)  # holding the only slot while the other process asks for it
        released_at.append(time.monotonic())

    task = asyncio.create_task(hold())
    await asyncio.wait_for(held.wait(), 5)
    async with asyncio.timeout(8):
        async with waiter_budget.slot():
            acquired_at = time.monotonic()
    await task
    assert acquired_at - released_at[0] < 5.0  # far below the 10 s poll: only the notification woke it


async def test_a_yielding_budget_hands_the_next_free_slot_to_a_waiting_writer(stores, database_url, schema):
    """The connector (yields) fills the budget; write-back (another process) waits and gets the
    first slot released, though the connector asked for it first."""
    connector, writer = stores[0].for_tenant("acme", 2, yields=True), stores[1].for_tenant("acme", 2)
    order: list[str] = []
    release = [asyncio.Event(), asyncio.Event()]
    watcher = await asyncpg.connect(database_url)

    async def hold(index: int) -> None:
        async with connector.slot():
            await release[index].wait()

    async def take(name: str, budget) -> None:
        async with budget.slot():
            order.append(name)

    async def true(check) -> bool:
        return check()

    async def writer_waits() -> bool:
        return await watcher.fetchval(f"SELECT count(*) FROM {schema}.budget_demand") == 1

    holders = [asyncio.create_task(hold(index)) for index in range(2)]
    await wait_until(lambda: true(lambda: connector.local.in_use == 2), message="the connector holds both slots")
    another = stores[0].for_tenant("acme", 2, yields=True)  # e.g. a second connector instance
    more_reads = asyncio.create_task(take("connector", another))
    await wait_until(lambda: true(lambda: another.local.in_use == 1), message="the connector waits for a lease")
    write = asyncio.create_task(take("writer", writer))
    await wait_until(writer_waits, message="the writer announced its demand")
    release[0].set()
    await wait_until(lambda: true(lambda: order), message="a slot was handed on")
    assert order[0] == "writer"
    release[1].set()
    await asyncio.gather(*holders, more_reads, write)
    assert order == ["writer", "connector"]
    assert not await writer_waits()
    await watcher.close()


async def test_a_yielding_budget_uses_every_slot_while_nobody_waits(stores):
    connector = stores[0].for_tenant("acme", 3, yields=True)
    inside, entered = [0], asyncio.Event()

    async def read() -> None:
        async with connector.slot():
            inside[0] += 1
            if inside[0] == 3:
                entered.set()
            await entered.wait()

    async with asyncio.timeout(10):
        await asyncio.gather(*(read() for _ in range(3)))
    assert inside[0] == 3
