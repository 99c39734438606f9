"""A broken message goes to the DLQ and the next one is applied; tenants never see each other."""
from __future__ import annotations

import pytest

from contracts import topics
from sb_runtime.kafka import new_producer
from sb_runtime.testing import read_topic, wait_until

from invoice_sync.testing import invoice_changed, pdf_fetched, version

pytestmark = pytest.mark.asyncio(loop_scope="module")


async def dead_letters(kafka_bootstrap: str, topic: str, key: bytes) -> list:
    async def mine():
        records = await read_topic(kafka_bootstrap, topic + ".dlq", at_least=1, timeout_s=5)
        return [r for r in records if r.key == key] or None

    return await wait_until(mine, timeout_s=60, message=f"a dead letter keyed {key!r} on {topic}.dlq")


async def test_a_broken_payload_goes_to_the_dlq_and_the_next_message_is_applied(service, produce, kafka_bootstrap, unique):
    tenant = f"dlq-{unique}"
    key = f"{tenant}:908".encode()
    broken = invoice_changed(tenant, version("908")).to_bytes().replace(b'"total":"250.00"', b'"total":250.0')
    producer = new_producer(kafka_bootstrap)
    await producer.start()
    try:
        await producer.send_and_wait(topics.NETSUITE_INVOICES, broken, key=key)
        await producer.send_and_wait(topics.NETSUITE_INVOICES, b"{not json", key=key)
    finally:
        await producer.stop()
    await produce(invoice_changed(tenant, version("908", minute=1, remaining="50.00")))
    invoice = await service.invoice_when(tenant, "908", lambda i: True, "the good message after the broken ones")
    assert invoice["amount_remaining"] == "50.00"
    dead = await dead_letters(kafka_bootstrap, topics.NETSUITE_INVOICES, key)
    assert sorted(r.value for r in dead) == sorted([broken, b"{not json"])
    reasons = [dict(r.headers)["dlq.reason"] for r in dead]
    assert any(b"ValidationError" in reason for reason in reasons)
    assert all(dict(r.headers)["dlq.source.topic"] == topics.NETSUITE_INVOICES.encode() for r in dead)


async def test_a_pdf_whose_bytes_do_not_match_its_sha256_is_dead_lettered(service, produce, kafka_bootstrap, unique):
    tenant = f"pdf-{unique}"
    await produce(invoice_changed(tenant, version("909")))
    await service.invoice_when(tenant, "909", lambda i: True, "the invoice")
    forged = pdf_fetched(tenant, "909", b"%PDF-1.4 forged", minute=1)
    forged = forged.model_copy(update={"data": forged.data.model_copy(update={"sha256": "0" * 64})})
    await produce(forged)
    [dead] = await dead_letters(kafka_bootstrap, topics.NETSUITE_INVOICE_PDFS_V1, forged.kafka_key())
    assert b"do not match" in dict(dead.headers)["dlq.reason"]
    invoice = await service.invoice(tenant, "909")
    assert invoice["pdf"]["available"] is False


async def test_a_tenant_token_never_sees_another_tenants_data(service, produce, unique):
    mine, theirs = f"a-{unique}", f"b-{unique}"
    await produce(invoice_changed(mine, version("910")), invoice_changed(theirs, version("910")))
    own = await service.invoice_when(mine, "910", lambda i: True, "tenant a's invoice")
    other = await service.invoice_when(theirs, "910", lambda i: True, "tenant b's invoice")
    headers = service.tenant_headers(mine)
    for path in [f"/v1/tenants/{theirs}/invoices", f"/v1/tenants/{theirs}/invoices/{other['id']}",
                 f"/v1/tenants/{theirs}/invoices/{other['id']}/pdf", f"/v1/tenants/{theirs}/customers"]:
        response = await service.client.get(path, headers=headers)
        assert response.status_code == 404, path
        assert theirs not in response.text and other["id"] not in response.text
    # another tenant's invoice id on my own path is simply not found
    assert (await service.client.get(f"/v1/tenants/{mine}/invoices/{other['id']}", headers=headers)).status_code == 404
    assert (await service.client.get(f"/v1/tenants/{mine}/invoices/{own['id']}", headers=headers)).status_code == 200
    for bad in [{}, {"Authorization": "Bearer nope"}, {"Authorization": f"Basic {headers['Authorization'][7:]}"}]:
        response = await service.client.get(f"/v1/tenants/{mine}/invoices", headers=bad)
        assert response.status_code == 401 and response.json()["error"]["code"] == "unauthorized"
    assert (await service.get(f"/v1/tenants/{theirs}/invoices/{other['id']}")).status_code == 200  # admin


async def test_invoices_page_with_a_cursor_and_filter_by_number_and_status(service, produce, unique):
    tenant = f"page-{unique}"
    await produce(*[invoice_changed(tenant, version(str(950 + n), remaining="0.00" if n % 2 else None))
                    for n in range(5)])
    for netsuite_id in ("950", "951", "952", "953", "954"):
        await service.invoice_when(tenant, netsuite_id, lambda i: True, f"invoice {netsuite_id}")
    seen, cursor = [], None
    while True:
        body = (await service.get(f"/v1/tenants/{tenant}/invoices", tenant, limit=2, cursor=cursor)).json()
        seen += [i["netsuite_id"] for i in body["items"]]
        cursor = body["next_cursor"]
        if cursor is None:
            break
    assert sorted(seen) == ["950", "951", "952", "953", "954"] and len(seen) == 5
    paid = (await service.get(f"/v1/tenants/{tenant}/invoices", tenant, status="paid")).json()["items"]
    assert sorted(i["netsuite_id"] for i in paid) == ["951", "953"]
    by_number = (await service.get(f"/v1/tenants/{tenant}/invoices", tenant, number="INV952")).json()["items"]
    assert [i["netsuite_id"] for i in by_number] == ["952"]
    wrong = await service.get(f"/v1/tenants/{tenant}/invoices", tenant, status="lost")
    assert wrong.status_code == 422 and "error" in wrong.json()
