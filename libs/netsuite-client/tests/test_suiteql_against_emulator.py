"""SuiteQL paging against the emulator with a small row cap: nothing skipped, nothing repeated."""

import pytest

from netsuite_client import PermanentNetSuiteError

QUERY = "SELECT id, tranid, type FROM transaction WHERE {after} ORDER BY id"
ROW_CAP = 250


@pytest.fixture(scope="module")
def capped_account(emulator):
    account = emulator.create_account(seed={"customers": 20, "invoices": 300, "months": 12, "random_seed": 5})
    emulator.patch_account(account["account_id"], suiteql_row_cap=ROW_CAP)
    return account


@pytest.fixture
async def capped(make_client, capped_account):
    client = make_client(capped_account)
    count = await client.suiteql.query_page("SELECT COUNT(*) AS n FROM transaction")
    return client, int(count.items[0]["n"])


async def test_the_emulator_caps_offset_paging(capped):
    client, total = capped
    last = await client.suiteql.query_page("SELECT id FROM transaction ORDER BY id", limit=100, offset=200)
    assert total > 2 * ROW_CAP
    assert (last.count, last.has_more, last.total_results) == (50, False, total) and last.truncated


async def test_iterator_continues_past_the_cap_with_keyset(emulator, capped, capped_account):
    client, total = capped
    emulator.reset_stats(capped_account["account_id"])
    rows = [row async for row in client.suiteql.iterate(QUERY, page_size=100)]
    ids = [int(row["id"]) for row in rows]
    assert len(ids) == total and len(set(ids)) == total and ids == sorted(ids)
    assert set(rows[0]) == {"id", "tranid", "type"}  # strings, no "links"
    calls = emulator.stats(capped_account["account_id"])["requests"]["POST /query/v1/suiteql"]
    assert calls <= total // 100 + 2 * (total // ROW_CAP + 1)


@pytest.mark.parametrize("window_rows", [100, ROW_CAP, 200])
async def test_keyset_windows_of_any_size_give_the_same_rows(capped, window_rows):
    client, total = capped
    rows = await client.suiteql.query_all(QUERY, page_size=100, window_rows=window_rows)
    ids = [int(row["id"]) for row in rows]
    assert len(set(ids)) == len(ids) == total and ids == sorted(ids)


async def test_keyset_with_a_qualified_key_column(capped):
    client, _ = capped
    query = ("SELECT t.id AS id, t.tranid FROM transaction t WHERE t.type = 'CustInvc' AND {after} "
             "ORDER BY t.id")
    rows = await client.suiteql.query_all(query, key="id", key_column="t.id", page_size=100)
    assert len(rows) == len({row["id"] for row in rows}) == 300


async def test_a_capped_query_without_keyset_placeholder_raises(capped):
    client, _ = capped
    with pytest.raises(PermanentNetSuiteError) as caught:
        await client.suiteql.query_all("SELECT id FROM transaction ORDER BY id", page_size=100)
    assert caught.value.code == "ROW_CAP"


async def test_small_result_without_placeholder_is_fine(capped):
    client, _ = capped
    rows = await client.suiteql.query_all("SELECT id, companyname FROM customer ORDER BY id", page_size=7)
    assert [row["id"] for row in rows] == [str(n) for n in range(1, 21)]


async def test_sql_errors_are_permanent(capped):
    client, _ = capped
    with pytest.raises(PermanentNetSuiteError) as caught:
        await client.suiteql.query_page("SELECT id FROM nosuchtable")
    assert caught.value.status == 400
