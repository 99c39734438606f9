"""Incremental polling: per stream, keyset pages on (lastmodifieddate, id) from the high-water mark
minus an overlap window (late-committed and same-second changes are re-read; versions already
published inside the window are skipped).

Header pages are read until two pages' worth of rows are in hand before their details are read,
so the rows the overlap window re-reads do not cost a detail query of their own: 1,000 changed
invoices with their lines cost two header pages and the line pages of the 1,000 that changed.
"""
from __future__ import annotations

from connector import clock, pages, sync_store
from connector.pages import Run
from connector.streams import Stream, record_id

TOUCH = "UPDATE sync_cursor SET polled_at = now() WHERE tenant_id = $1 AND stream = $2"
# Versions are kept an hour longer than the overlap so the repeated hour of a DST change
# (local times go back) cannot re-publish what was already published.
KEEP_EXTRA_S = 3600
PAGES_PER_BATCH = 2


async def poll(run: Run, stream: Stream, high_water: str, overlap_s: int, page_size: int,
               pdfs_from: str | None = None) -> int:
    """Publish every change of ``stream`` since ``high_water``; returns the number of events.

    The cursor only ever moves forward (a resync reads from an earlier ``high_water``). PDFs are
    queued for invoice versions modified at or after ``pdfs_from`` (all when None).
    """
    start = clock.shift(high_water, -overlap_s)
    after: tuple[str, str] | None = None
    published, more = 0, True
    while more:
        rows, after, more = await _read(run, stream, start, after, PAGES_PER_BATCH * page_size)
        if not rows:
            break
        outcome = await pages.build(run, stream, rows, dedupe=True, pdfs=stream.pdfs, pdfs_from=pdfs_from)
        high_water = max([high_water, *(row["modified"] for row in rows if row.get("modified"))])

        async def checkpoint(connection, mark=high_water):
            await sync_store.advance_cursor(connection, run.tenant_id, stream.name, mark)
            await sync_store.prune_versions(connection, run.tenant_id, stream.name,
                                            clock.shift(mark, -(overlap_s + KEEP_EXTRA_S)))

        await pages.commit(run, stream, outcome, checkpoint)
        published += len(outcome.events)
    async with run.pool.acquire() as connection:
        await connection.execute(TOUCH, run.tenant_id, stream.name)
    return published


async def _read(run: Run, stream: Stream, start: str, after: tuple[str, str] | None,
                enough: int) -> tuple[list[dict], tuple[str, str] | None, bool]:
    """Header pages past ``after`` until ``enough`` rows: (rows, the last key, whether more follow)."""
    rows: list[dict] = []
    while True:
        page = await run.reader.page(stream.changed_query(start, after))
        if not page.items:
            return rows, after, False
        rows += page.items
        last = page.items[-1]
        key = (last.get("modified", ""), record_id(stream, last))
        # No progress (a DST-ambiguous local time) ends this poll; the next one goes on.
        more = (page.has_more or page.truncated) and key != after
        after = key
        if not more or len(rows) >= enough:
            return rows, after, more
