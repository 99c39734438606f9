"""SQL for sync progress: cursors, initial-sync checkpoints, published versions and the PDF queue."""
from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass

from connector import drift_store

GET_CURSORS = "SELECT stream, high_water, polled_at FROM sync_cursor WHERE tenant_id = $1"
SET_CURSOR = """
INSERT INTO sync_cursor (tenant_id, stream, high_water, polled_at) VALUES ($1, $2, $3, now())
ON CONFLICT (tenant_id, stream) DO UPDATE SET high_water = GREATEST(sync_cursor.high_water, EXCLUDED.high_water),
    polled_at = now()
"""
RESET_CURSOR = """
INSERT INTO sync_cursor (tenant_id, stream, high_water) VALUES ($1, $2, $3)
ON CONFLICT (tenant_id, stream) DO UPDATE SET high_water = EXCLUDED.high_water, polled_at = NULL
"""
GET_VERSIONS = """
SELECT record_id, modified, digest FROM recent_version
WHERE tenant_id = $1 AND stream = $2 AND record_id = ANY($3::text[])
"""
PUT_VERSIONS = """
INSERT INTO recent_version (tenant_id, stream, record_id, modified, digest)
SELECT $1, $2, unnest($3::text[]), unnest($4::text[]), unnest($5::text[])
ON CONFLICT (tenant_id, stream, record_id) DO UPDATE SET modified = EXCLUDED.modified, digest = EXCLUDED.digest
"""
PRUNE_VERSIONS = "DELETE FROM recent_version WHERE tenant_id = $1 AND stream = $2 AND modified < $3"
GET_INITIAL = """
SELECT account_id, phase, cutoff, totals, synced, started_at, finished_at FROM initial_sync WHERE tenant_id = $1
"""
START_INITIAL = """
INSERT INTO initial_sync (tenant_id, account_id, phase, cutoff, totals, synced)
VALUES ($1, $2, 'recent', $3, $4::jsonb, '{}'::jsonb)
ON CONFLICT (tenant_id) DO UPDATE SET account_id = EXCLUDED.account_id, phase = 'recent', cutoff = EXCLUDED.cutoff,
    totals = EXCLUDED.totals, synced = '{}'::jsonb, started_at = now(), finished_at = NULL
"""
CLEAR_CHECKPOINTS = "DELETE FROM initial_checkpoint WHERE tenant_id = $1"
CLEAR_VERSIONS = "DELETE FROM recent_version WHERE tenant_id = $1"
CLEAR_CURSORS = "DELETE FROM sync_cursor WHERE tenant_id = $1"
GET_CHECKPOINTS = """
SELECT phase, stream, part, last_id, upper_id, done, pages FROM initial_checkpoint WHERE tenant_id = $1
"""
PLAN_RANGES = """
INSERT INTO initial_checkpoint (tenant_id, phase, stream, part, last_id, upper_id)
SELECT $1, unnest($2::text[]), unnest($3::text[]), unnest($4::int[]), unnest($5::bigint[]), unnest($6::bigint[])
"""
SET_CHECKPOINT = """
INSERT INTO initial_checkpoint (tenant_id, phase, stream, part, upper_id, last_id, done, pages)
VALUES ($1, $2, $3, $4, $5, $6, $7, 1)
ON CONFLICT (tenant_id, phase, stream, part) DO UPDATE SET last_id = GREATEST(initial_checkpoint.last_id, EXCLUDED.last_id),
    done = EXCLUDED.done, pages = initial_checkpoint.pages + 1
"""
ADD_SYNCED = """
UPDATE initial_sync SET synced = jsonb_set(synced, ARRAY[$2::text],
    to_jsonb(COALESCE((synced ->> $2)::bigint, 0) + $3))
WHERE tenant_id = $1
"""
SET_PHASE = """
UPDATE initial_sync SET phase = $2, finished_at = CASE WHEN $2 = 'done' THEN now() END WHERE tenant_id = $1
"""
QUEUE_PDF = """
INSERT INTO pdf_queue (tenant_id, invoice_id, modified, last_modified, priority)
SELECT $1, v.invoice_id, v.modified, v.last_modified, $5
FROM unnest($2::text[], $3::text[], $4::timestamptz[]) AS v (invoice_id, modified, last_modified)
WHERE NOT EXISTS (SELECT 1 FROM pdf_fetched f WHERE f.tenant_id = $1 AND f.invoice_id = v.invoice_id
                  AND f.modified = v.modified)
ON CONFLICT (tenant_id, invoice_id) DO UPDATE SET modified = EXCLUDED.modified,
    last_modified = EXCLUDED.last_modified, priority = LEAST(pdf_queue.priority, EXCLUDED.priority),
    attempts = 0, next_attempt_at = now()
WHERE pdf_queue.modified < EXCLUDED.modified
"""
DROP_PDF_JOBS = "DELETE FROM pdf_queue WHERE tenant_id = $1 AND invoice_id = ANY($2::text[])"
DUE_PDFS = """
SELECT invoice_id, modified, last_modified, attempts FROM pdf_queue
WHERE tenant_id = $1 AND next_attempt_at <= now() ORDER BY priority, next_attempt_at, enqueued_at LIMIT $2
"""
PDF_DONE = """
WITH done AS (DELETE FROM pdf_queue WHERE tenant_id = $1 AND invoice_id = $2 AND modified = $3)
INSERT INTO pdf_fetched (tenant_id, invoice_id, modified, sha256) VALUES ($1, $2, $3, $4)
ON CONFLICT (tenant_id, invoice_id) DO UPDATE SET modified = EXCLUDED.modified, sha256 = EXCLUDED.sha256,
    fetched_at = now()
"""
PDF_FAILED = """
UPDATE pdf_queue SET attempts = attempts + 1,
    next_attempt_at = now() + make_interval(secs => LEAST($4, 5 * power(2, attempts)))
WHERE tenant_id = $1 AND invoice_id = $2 AND modified = $3
"""
PDF_PENDING = "SELECT count(*) FROM pdf_queue WHERE tenant_id = $1"


@dataclass(frozen=True)
class InitialSync:
    account_id: str
    phase: str
    cutoff: dt.date
    totals: dict[str, int]
    synced: dict[str, int]
    started_at: dt.datetime
    finished_at: dt.datetime | None


@dataclass
class Checkpoint:
    """One range of a stream's ids in a phase: ids in (last_id, upper_id] are still to read."""

    phase: str
    stream: str
    part: int = 0
    last_id: int = 0
    upper_id: int | None = None  # None: no upper bound
    done: bool = False
    pages: int = 0


@dataclass(frozen=True)
class PdfJob:
    invoice_id: str
    modified: str
    last_modified: dt.datetime
    attempts: int


def _json(value) -> dict:
    return json.loads(value) if isinstance(value, str) else dict(value or {})


async def cursors(connection, tenant_id: str) -> dict[str, tuple[str, dt.datetime | None]]:
    return {row["stream"]: (row["high_water"], row["polled_at"]) for row in await connection.fetch(GET_CURSORS, tenant_id)}


async def advance_cursor(connection, tenant_id: str, stream: str, high_water: str) -> None:
    await connection.execute(SET_CURSOR, tenant_id, stream, high_water)


async def reset_cursor(connection, tenant_id: str, stream: str, high_water: str) -> None:
    await connection.execute(RESET_CURSOR, tenant_id, stream, high_water)


async def versions(connection, tenant_id: str, stream: str, record_ids: list[str]) -> dict[str, tuple[str, str]]:
    rows = await connection.fetch(GET_VERSIONS, tenant_id, stream, record_ids)
    return {row["record_id"]: (row["modified"], row["digest"]) for row in rows}


async def remember_versions(connection, tenant_id: str, stream: str, seen: list[tuple[str, str, str]]) -> None:
    if seen:
        ids, modified, digests = (list(column) for column in zip(*seen))
        await connection.execute(PUT_VERSIONS, tenant_id, stream, ids, modified, digests)


async def prune_versions(connection, tenant_id: str, stream: str, older_than: str) -> None:
    await connection.execute(PRUNE_VERSIONS, tenant_id, stream, older_than)


async def initial_sync(connection, tenant_id: str) -> InitialSync | None:
    row = await connection.fetchrow(GET_INITIAL, tenant_id)
    if row is None:
        return None
    return InitialSync(row["account_id"], row["phase"], row["cutoff"], _json(row["totals"]), _json(row["synced"]),
                       row["started_at"], row["finished_at"])


async def start_initial_sync(connection, tenant_id: str, account_id: str, cutoff: dt.date, totals: dict,
                             ranges: list[Checkpoint] = ()) -> None:
    await connection.execute(CLEAR_CHECKPOINTS, tenant_id)
    await connection.execute(START_INITIAL, tenant_id, account_id, cutoff, json.dumps(totals))
    if ranges:
        columns = [[getattr(mark, name) for mark in ranges] for name in ("phase", "stream", "part", "last_id", "upper_id")]
        await connection.execute(PLAN_RANGES, tenant_id, *columns)


async def forget_sync_state(connection, tenant_id: str) -> None:
    """A different NetSuite account: nothing of the old one's progress applies."""
    for statement in (CLEAR_CHECKPOINTS, CLEAR_VERSIONS, CLEAR_CURSORS, "DELETE FROM initial_sync WHERE tenant_id = $1",
                      "DELETE FROM pdf_queue WHERE tenant_id = $1", "DELETE FROM pdf_fetched WHERE tenant_id = $1",
                      *drift_store.FORGET):
        await connection.execute(statement, tenant_id)


async def checkpoints(connection, tenant_id: str) -> list[Checkpoint]:
    return [Checkpoint(**dict(row)) for row in await connection.fetch(GET_CHECKPOINTS, tenant_id)]


async def save_checkpoint(connection, tenant_id: str, mark: Checkpoint, last_id: int, done: bool,
                          published: int) -> None:
    await connection.execute(SET_CHECKPOINT, tenant_id, mark.phase, mark.stream, mark.part, mark.upper_id, last_id,
                             done)
    if published:
        await connection.execute(ADD_SYNCED, tenant_id, mark.stream, published)


async def set_phase(connection, tenant_id: str, phase: str) -> None:
    await connection.execute(SET_PHASE, tenant_id, phase)


async def queue_pdfs(connection, tenant_id: str, jobs: list[tuple[str, str, dt.datetime]], priority: int) -> None:
    if jobs:
        ids, modified, stamps = (list(column) for column in zip(*jobs))
        await connection.execute(QUEUE_PDF, tenant_id, ids, modified, stamps, priority)


async def drop_pdf_jobs(connection, tenant_id: str, invoice_ids: list[str]) -> None:
    if invoice_ids:
        await connection.execute(DROP_PDF_JOBS, tenant_id, invoice_ids)


async def due_pdfs(connection, tenant_id: str, limit: int) -> list[PdfJob]:
    return [PdfJob(**dict(row)) for row in await connection.fetch(DUE_PDFS, tenant_id, limit)]


async def pdf_done(connection, tenant_id: str, job: PdfJob, sha256: str) -> None:
    await connection.execute(PDF_DONE, tenant_id, job.invoice_id, job.modified, sha256)


async def pdf_failed(connection, tenant_id: str, job: PdfJob, max_backoff_s: float) -> None:
    await connection.execute(PDF_FAILED, tenant_id, job.invoice_id, job.modified, max_backoff_s)


async def pdfs_pending(connection, tenant_id: str) -> int:
    return await connection.fetchval(PDF_PENDING, tenant_id)


# The dashboard's health card: records published per hour (counted with each page's commit).
COUNT_SYNCED = """
INSERT INTO sync_hourly (tenant_id, hour, records) VALUES ($1, date_trunc('hour', now()), $2)
ON CONFLICT (tenant_id, hour) DO UPDATE SET records = sync_hourly.records + EXCLUDED.records
RETURNING xmax = 0 AS new_hour
"""
PRUNE_SYNCED = "DELETE FROM sync_hourly WHERE tenant_id = $1 AND hour < now() - interval '48 hours'"
SYNCED_PER_HOUR = """
SELECT hour, records FROM sync_hourly WHERE tenant_id = $1 AND hour >= now() - interval '24 hours' ORDER BY hour
"""


async def count_synced(connection, tenant_id: str, records: int) -> None:
    if records and await connection.fetchval(COUNT_SYNCED, tenant_id, records):
        await connection.execute(PRUNE_SYNCED, tenant_id)  # once an hour: the first page of a new hour


async def synced_per_hour(connection, tenant_id: str) -> list[tuple]:
    return [(row["hour"], row["records"]) for row in await connection.fetch(SYNCED_PER_HOUR, tenant_id)]


async def polled_per_stream(connection, tenant_id: str) -> dict:
    """Each stream's last successful poll (None before its first)."""
    return {row["stream"]: row["polled_at"] for row in await connection.fetch(GET_CURSORS, tenant_id)}
