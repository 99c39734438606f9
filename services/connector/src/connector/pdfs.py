"""R5: invoice PDFs through the bundle RESTlet, for invoice versions not fetched yet; the bytes are kept
here once by SHA-256 and the event carries where to fetch them (decision 0007)."""
from __future__ import annotations

import asyncio

from contracts.envelope import envelope_fields
from contracts.invoices import InvoicePdfFetchedV2, InvoicePdfReferenceData
from netsuite_client import AuthenticationError, NetSuiteError, TransientNetSuiteError
from sb_runtime import outbox

from connector import leases, pages, pdf_store, sync_store
from connector.errors import MappingError
from connector.netsuite import Pdf, describe
from connector.pages import Run

STREAM = "pdfs"


def event(run: Run, job: sync_store.PdfJob, pdf: Pdf, sha256: str) -> InvoicePdfFetchedV2:
    data = InvoicePdfReferenceData(netsuite_id=job.invoice_id, sha256=sha256, file_name=pdf.file_name,
                                   size=len(pdf.content), location=pdf_store.location(sha256),
                                   invoice_last_modified=job.last_modified, id_scope=run.context.id_scope)
    scope = () if run.context.id_scope is None else (run.context.id_scope,)
    fields = envelope_fields("InvoicePdfFetched", run.tenant_id, job.invoice_id, job.modified, sha256, *scope)
    return InvoicePdfFetchedV2(**fields | {"schema_version": 2}, data=data)


async def _fetch(run: Run, job: sync_store.PdfJob) -> Pdf | Exception:
    try:
        return await run.reader.invoice_pdf(job.invoice_id)
    except AuthenticationError:
        raise
    except (NetSuiteError, MappingError, ValueError) as error:
        return error


async def fetch_due(run: Run, batch: int, parallel: int, max_backoff_s: float) -> int:
    """Fetch up to ``batch`` due PDFs (``parallel`` at once); returns how many were published."""
    async with run.pool.acquire() as connection:
        jobs = await sync_store.due_pdfs(connection, run.tenant_id, batch)
    if not jobs:
        return 0
    limit = asyncio.Semaphore(parallel)

    async def fetch(job):
        async with limit:
            return await _fetch(run, job)

    results = await asyncio.gather(*(fetch(job) for job in jobs))
    published = 0
    async with run.pool.acquire() as connection, connection.transaction():
        await leases.fence(connection, run.tenant_id, run.owner, run.lease_ttl_s)
        failures, succeeded = {}, []
        for job, result in zip(jobs, results):
            if isinstance(result, Pdf):
                sha256 = await pdf_store.save(connection, result.content)
                await outbox.add(connection, [outbox.from_event(event(run, job, result, sha256))])
                await sync_store.pdf_done(connection, run.tenant_id, job, sha256)
                succeeded.append(job.invoice_id)
                published += 1
                continue
            await sync_store.pdf_failed(connection, run.tenant_id, job, max_backoff_s)
            if not isinstance(result, TransientNetSuiteError):
                failures[job.invoice_id] = f"the invoice PDF could not be fetched: {describe(result)}"
        await pages.record_errors(connection, run, STREAM, failures, succeeded)
    return published
