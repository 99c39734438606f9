"""R5 by reference (decision 0007): invoice-sync fetches the bytes a PDF event points at from the
connector's internal listener, checks them, and dead-letters only the event whose bytes are wrong."""
from __future__ import annotations

import hashlib
import uuid

import httpx
import pytest
import pytest_asyncio
from pydantic import SecretStr

from contracts import topics
from sb_runtime.testing import read_topic, served, wait_until

from invoice_sync.app import create_app
from invoice_sync.testing import connector_pdfs, invoice_changed, minimal_pdf, pdf_by_reference, version

from .conftest import RunningService, settings_for, stop_service

pytestmark = pytest.mark.asyncio(loop_scope="module")
TOKEN = "internal-token-for-tests"
PDFS: dict[str, bytes] = {}  # what the stand-in connector serves, by SHA-256


async def dead_letters(kafka_bootstrap: str, topic: str, key: bytes) -> list:
    async def mine():
        records = await read_topic(kafka_bootstrap, topic + ".dlq", at_least=1, timeout_s=5)
        return [r for r in records if r.key == key] or None

    return await wait_until(mine, timeout_s=60, message=f"a dead letter keyed {key!r} on {topic}.dlq")


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def by_reference(database_url, kafka_bootstrap):
    async with served(connector_pdfs(PDFS, TOKEN)) as connector_url:
        suffix = uuid.uuid4().hex[:10]
        settings = settings_for(database_url, kafka_bootstrap, f"invoice-sync-test-{suffix}").model_copy(
            update={"connector_url": connector_url, "connector_token": SecretStr(TOKEN)})
        app = create_app(settings, schema=f"invoice_sync_{suffix}")
        await app.state.shell.start()
        client = httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://invoice-sync")
        running = RunningService(app, f"invoice_sync_{suffix}", database_url, kafka_bootstrap, client)
        yield running
        await stop_service(running)


async def test_a_pdf_sent_by_reference_is_fetched_checked_and_served(by_reference, produce, unique):
    tenant, content = f"ref-{unique}", minimal_pdf(f"INV931 {unique}")
    PDFS[hashlib.sha256(content).hexdigest()] = content
    await produce(invoice_changed(tenant, version("931")), pdf_by_reference(tenant, "931", content, minute=1))
    invoice = await by_reference.invoice_when(tenant, "931", lambda i: i["pdf"]["available"], "the PDF")
    response = await by_reference.get(f"/v1/tenants/{tenant}/invoices/{invoice['id']}/pdf", tenant)
    assert response.status_code == 200 and response.content == content
    assert invoice["pdf"]["sha256"] == hashlib.sha256(content).hexdigest()


async def test_fetched_bytes_that_are_not_what_the_event_says_dead_letter_that_event_only(
        by_reference, produce, kafka_bootstrap, unique):
    tenant, good = f"ref-{unique}", minimal_pdf(f"INV933 {unique}")
    forged = pdf_by_reference(tenant, "932", minimal_pdf(f"INV932 {unique}"), minute=1)
    PDFS[forged.data.sha256] = minimal_pdf("someone else's bytes")
    PDFS[hashlib.sha256(good).hexdigest()] = good
    await produce(invoice_changed(tenant, version("932")), invoice_changed(tenant, version("933")),
                  forged, pdf_by_reference(tenant, "933", good, minute=1))
    await by_reference.invoice_when(tenant, "933", lambda i: i["pdf"]["available"], "the good PDF")
    [dead] = await dead_letters(kafka_bootstrap, topics.NETSUITE_INVOICE_PDFS, forged.kafka_key())
    assert b"do not match" in dict(dead.headers)["dlq.reason"]
    assert (await by_reference.invoice(tenant, "932"))["pdf"]["available"] is False
