"""Initial sync (R17): phase 'recent' (tranDate in the last 12 months, plus all customers), then
'history' (everything older), then done. Keyset pages by id, one checkpoint per page, so a crash
resumes after the last committed page and never re-reads it."""
from __future__ import annotations

import asyncio
import datetime as dt
import time

from connector import clock, leases, pages, sync_store
from connector.pages import Run
from connector.streams import Stream, initial, record_id

PHASES = ("recent", "history")
FLOOR = "2000-01-01 00:00:00"


def months_back(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + day.month - 1 - months
    year, month = divmod(index, 12)
    month += 1
    for candidate in (day.day, 30, 29, 28):
        try:
            return dt.date(year, month, min(day.day, candidate))
        except ValueError:
            continue
    raise ValueError(day)


async def start(run: Run, recent_months: int, overlap_s: int) -> None:
    """Count what there is, fix the phase boundary and start each incremental cursor at the newest
    change its stream has now (the initial sync reads everything before it)."""
    marks = {stream.name: await run.reader.high_water(stream.high_water_query()) for stream in run.streams}
    newest = max([mark for mark in marks.values() if mark] or [FLOOR])
    today = clock.parse_local(await run.reader.local_now()).date()  # the account's today, by its own clock
    cutoff = months_back(today, recent_months)
    totals: dict[str, int] = {}
    for phase in PHASES:
        for stream in initial(run.streams):
            if stream.in_phase(phase):
                count = await run.reader.count(stream.count_query(phase, cutoff.isoformat()))
                totals[stream.name] = totals.get(stream.name, 0) + count
    async with run.pool.acquire() as connection, connection.transaction():
        await leases.fence(connection, run.tenant_id, run.owner, run.lease_ttl_s)
        await sync_store.start_initial_sync(connection, run.tenant_id, run.account_id, cutoff, totals)
        for stream in run.streams:
            await sync_store.reset_cursor(connection, run.tenant_id, stream.name, marks[stream.name] or newest)


async def apply(run: Run, stream: Stream, phase: str, page, last_id: int, pdfs: bool) -> tuple[bool, int]:
    """Publish one page and commit its checkpoint; returns (phase complete, new checkpoint id)."""
    rows = page.items
    outcome = await pages.build(run, stream, rows, dedupe=False, pdfs=pdfs) if rows else pages.Outcome()
    done = not rows or not (page.has_more or page.truncated)
    next_id = int(record_id(stream, rows[-1])) if rows else last_id

    async def checkpoint(connection):
        await sync_store.save_checkpoint(connection, run.tenant_id, phase, stream.name, next_id, done,
                                         len(outcome.events))

    await pages.commit(run, stream, outcome, checkpoint, pdf_priority=1)
    return done, next_id


async def _stream(run: Run, stream: Stream, phase: str, cutoff: str, last_id: int, deadline: float,
                  pdfs: bool, on_error) -> bool:
    """Pages of one stream until it is complete (True) or the slice ends or it fails (False).

    The next header page is read while the current one is mapped and committed (its keyset
    start is known as soon as the current page arrives). A page read is always committed.
    """
    read = lambda after: asyncio.ensure_future(run.reader.page(stream.initial_query(phase, cutoff, after)))  # noqa: E731
    upcoming = read(last_id)
    try:
        while True:
            page = await upcoming
            upcoming = None
            if page.items and (page.has_more or page.truncated) and time.monotonic() < deadline:
                upcoming = read(int(record_id(stream, page.items[-1])))
            done, last_id = await apply(run, stream, phase, page, last_id, pdfs)
            if done:
                return True
            if upcoming is None:
                return False
    except Exception as error:  # noqa: BLE001 - on_error records it; the other streams go on
        if upcoming is not None:
            upcoming.cancel()
        if not await on_error(stream, error):
            raise
        return False


async def advance(run: Run, deadline: float, page_size: int, pdf_scope: str, on_error) -> bool:
    """Work through the phases until ``deadline``; True when the whole initial sync is done.

    The streams of a phase run side by side (the NetSuite budget bounds how many requests are
    in flight); each commits its own checkpoint per page.
    """
    async with run.pool.acquire() as connection:
        state = await sync_store.initial_sync(connection, run.tenant_id)
        marks = await sync_store.checkpoints(connection, run.tenant_id)
    if state is None:
        return False
    if state.phase == "done":
        return True
    cutoff = state.cutoff.isoformat()
    for phase in PHASES[PHASES.index(state.phase):]:
        pending = [stream for stream in initial(run.streams)
                   if stream.in_phase(phase) and not marks.get((phase, stream.name), sync_store.Checkpoint()).done]
        pdfs = pdf_scope == "all" or (pdf_scope == "recent" and phase == "recent")
        finished = await asyncio.gather(*(
            _stream(run, stream, phase, cutoff, marks.get((phase, stream.name), sync_store.Checkpoint()).last_id,
                    deadline, pdfs, on_error) for stream in pending))
        if not all(finished):
            return False
        next_phase = "history" if phase == "recent" else "done"
        async with run.pool.acquire() as connection, connection.transaction():
            await leases.fence(connection, run.tenant_id, run.owner, run.lease_ttl_s)
            await sync_store.set_phase(connection, run.tenant_id, next_phase)
    return True
