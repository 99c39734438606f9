"""Invoice PDFs (R5): the bytes must be what the event says they are.

Version 2 events carry a reference (decision 0007): the bytes are fetched from the connector's
internal listener with the internal token, outside any transaction, and checked against the
announced SHA-256 and size. Version 1 events (still accepted) carry the bytes inline.
"""
from __future__ import annotations

import asyncio
import base64
import binascii
import hashlib

import httpx

from contracts.invoices import InvoicePdfFetched, InvoicePdfFetchedData, InvoicePdfFetchedV2, InvoicePdfReferenceData

from invoice_sync.errors import Permanent, Transient

PDF_MAGIC = b"%PDF-"
PdfEvent = InvoicePdfFetched | InvoicePdfFetchedV2


def verified_content(data: InvoicePdfFetchedData) -> bytes:
    """The inline PDF bytes; ``Permanent`` (dead-letter) when they are not a PDF with the announced SHA-256."""
    try:
        content = base64.b64decode(data.content_base64, validate=True)
    except (binascii.Error, ValueError) as error:
        raise Permanent(f"invoice {data.netsuite_id}: PDF content is not base64") from error
    return verified(data.netsuite_id, data.sha256, content)


def verified(netsuite_id: str, sha256: str, content: bytes, size: int | None = None) -> bytes:
    if hashlib.sha256(content).hexdigest() != sha256.lower():
        raise Permanent(f"invoice {netsuite_id}: PDF bytes do not match sha256 {sha256}")
    if size is not None and len(content) != size:
        raise Permanent(f"invoice {netsuite_id}: PDF is {len(content)} bytes, the event said {size}")
    if not content.startswith(PDF_MAGIC):
        raise Permanent(f"invoice {netsuite_id}: content is not a PDF")
    return content


class PdfSource:
    """The connector's internal listener, where version 2 events' bytes are."""

    def __init__(self, http: httpx.AsyncClient, base_url: str, token: str, parallel: int = 8):
        self._http = http
        self._base_url = base_url.rstrip("/")
        self._token = token
        self._parallel = parallel

    async def fetch(self, data: InvoicePdfReferenceData) -> bytes:
        """The verified bytes: ``Transient`` while the connector cannot answer, ``Permanent`` when it
        has no such PDF or sends other bytes."""
        if not self._base_url or not self._token:
            raise Transient("INVOICE_SYNC_CONNECTOR_URL / _CONNECTOR_TOKEN not set: PDFs by reference wait")
        try:
            response = await self._http.get(self._base_url + data.location,
                                            headers={"Authorization": f"Bearer {self._token}"})
        except httpx.HTTPError as error:
            raise Transient(f"invoice {data.netsuite_id}: PDF fetch failed: {type(error).__name__}") from error
        if response.status_code == 404:
            raise Permanent(f"invoice {data.netsuite_id}: the connector has no PDF {data.sha256}")
        if response.status_code != 200:  # 401/403 while tokens rotate, 5xx: the connector's trouble
            raise Transient(f"invoice {data.netsuite_id}: PDF fetch answered {response.status_code}")
        return verified(data.netsuite_id, data.sha256, response.content, data.size)

    async def fetch_all(self, events: list[InvoicePdfFetchedV2]) -> dict[str, bytes]:
        """The bytes of every referenced PDF, by SHA-256 (each fetched once)."""
        wanted = {event.data.sha256: event.data for event in events}
        limit = asyncio.Semaphore(self._parallel)

        async def one(data: InvoicePdfReferenceData) -> bytes:
            async with limit:
                return await self.fetch(data)

        contents = await asyncio.gather(*(one(data) for data in wanted.values()))
        return dict(zip(wanted, contents))


def content(event: PdfEvent, fetched: dict[str, bytes]) -> bytes:
    """The bytes of a PDF event: inline (version 1) or fetched before the transaction (version 2)."""
    if isinstance(event, InvoicePdfFetched):
        return verified_content(event.data)
    return fetched[event.data.sha256]
