"""Incremental polling: per stream, keyset pages on (lastmodifieddate, id) from the high-water mark
minus an overlap window (late-committed and same-second changes are re-read; versions already
published inside the window are skipped).

Invoices are read with their lines in one joined query (one row per visible line, keyset on
(modified, id, line uniquekey)), so 1,000 changed invoices with their lines cost ⌈rows ÷ 1,000⌉
calls, the overlap window's re-read rows included (docs/decisions/connector-incremental-joined-lines.md).
Other streams with details read header pages until two pages' worth of rows are in hand, then the
details of the rows not yet published, one query per 1,000 ids.
"""
from __future__ import annotations

from connector import clock, pages, sync_store
from connector.netsuite import Details
from connector.pages import Run
from connector.streams import Stream, record_id, split_joined

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
    start, lines_from = clock.shift(high_water, -overlap_s), high_water
    after: tuple[str, ...] | None = None
    published, more, carried = 0, True, []
    while more:
        rows, after, more, cut = await _read(run, stream, start, lines_from, after, PAGES_PER_BATCH * page_size,
                                             carried)
        rows, details, carried = _split(stream, rows, cut, lines_from)
        if not rows:
            break
        outcome = await pages.build(run, stream, rows, dedupe=True, pdfs=stream.pdfs, pdfs_from=pdfs_from,
                                    joined=details)
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


async def _read(run: Run, stream: Stream, start: str, lines_from: str, after: tuple[str, ...] | None,
                enough: int, carried: list[dict]) -> tuple[list[dict], tuple[str, ...] | None, bool, bool]:
    """Pages past ``after`` until ``enough`` rows of more than one record (the last record of a joined
    page may go on in the next): (``carried`` + the rows, the last key, whether this poll reads on,
    whether the last page was cut short)."""
    rows = carried
    while True:
        page = await run.reader.page(stream.changed_query(start, after, lines_from))
        if not page.items:
            return rows, after, False, False
        rows += page.items
        key = _key(stream, page.items[-1])
        cut = page.has_more or page.truncated
        # No progress (a DST-ambiguous local time) ends this poll; the next one goes on (from before
        # the last record, which may lack lines: it is left to that poll).
        more = cut and key != after
        after = key
        if not more or (len(rows) >= enough and record_id(stream, rows[0]) != record_id(stream, rows[-1])):
            return rows, after, more, cut


def _key(stream: Stream, row: dict) -> tuple[str, ...]:
    key = (row.get("modified", ""), record_id(stream, row))
    return key if stream.joined is None else (*key, row.get(stream.joined.key))


def _split(stream: Stream, rows: list[dict], cut: bool,
           lines_from: str) -> tuple[list[dict], pages.Joined | None, list[dict]]:
    """Joined rows -> (one header row per record, their details, the rows of the last record when the
    page was cut short: more of its details may follow); other streams' rows pass as they are.
    Records of the overlap window (modified before ``lines_from``) come without details: read
    apart if not published yet."""
    if stream.joined is None:
        return rows, None, []
    carried: list[dict] = []
    if cut and rows:
        last = record_id(stream, rows[-1])
        end = len(rows)
        while end and record_id(stream, rows[end - 1]) == last:
            end -= 1
        rows, carried = rows[:end], rows[end:]
    headers: list[dict] = []
    joined = pages.Joined(Details(), set())
    for row in rows:
        header, detail = split_joined(row)
        netsuite_id = record_id(stream, header)
        if not headers or record_id(stream, headers[-1]) != netsuite_id:
            headers.append(header)
            if header.get("modified", "") >= lines_from:
                joined.read.add(netsuite_id)
        if detail is not None:
            joined.details.rows[netsuite_id].append(detail)
    return headers, joined, carried
