"""The dashboard's invoice list (``GET /v1/tenants/{t}/invoice-search``): newest first, by status,
searching the number or the customer's name (wildcards taken literally), offset paging."""
from __future__ import annotations

import datetime as dt

import pytest

from invoice_sync.testing import customer, customer_changed, invoice_changed, version

pytestmark = pytest.mark.asyncio(loop_scope="module")


async def test_newest_first_by_status_and_by_number_or_customer(service, produce, unique):
    tenant = f"search-{unique}"
    await produce(customer_changed(tenant, customer("61", name="Globex 100% Corp")),
                  customer_changed(tenant, customer("62", name="Initech")),
                  *[invoice_changed(tenant, version(str(970 + n), customer="61" if n < 2 else "62", number=f"A_{n}",
                                                    issued_on=dt.date(2026, 9, 1) + dt.timedelta(days=10 * n),
                                                    remaining="0.00" if n == 3 else None)) for n in range(4)])
    for netsuite_id in ("970", "971", "972", "973"):
        await service.invoice_when(tenant, netsuite_id, lambda i: True, f"invoice {netsuite_id}")

    async def search(**params) -> dict:
        answer = await service.get(f"/v1/tenants/{tenant}/invoice-search", tenant, **params)
        assert answer.status_code == 200, answer.text
        return answer.json()

    newest = await search()
    assert [i["number"] for i in newest["items"]] == ["A_3", "A_2", "A_1", "A_0"] and newest["more"] is False
    assert newest["items"][0]["customer_name"] == "Initech"
    first, second = await search(limit=3), await search(limit=3, offset=3)
    assert ([i["number"] for i in first["items"]], first["more"]) == (["A_3", "A_2", "A_1"], True)
    assert ([i["number"] for i in second["items"]], second["more"]) == (["A_0"], False)
    assert [i["number"] for i in (await search(status="paid"))["items"]] == ["A_3"]
    assert [i["number"] for i in (await search(q="a_2"))["items"]] == ["A_2"]
    assert [i["number"] for i in (await search(q="100%"))["items"]] == ["A_1", "A_0"]
    assert (await search(q="_"))["items"] and (await search(q="%x"))["items"] == []
    assert [i["number"] for i in (await search(q="initech", status="open"))["items"]] == ["A_2"]
