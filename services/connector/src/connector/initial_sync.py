"""Initial sync (R17): phase 'recent' (tranDate in the last 12 months, plus all customers), then
'history' (everything older), then done.

Each stream's id space in a phase is cut into ranges when the sync starts; ranges are read side
by side (keyset pages by id within each), so the tenant's NetSuite budget stays full while the
streams differ in size. One checkpoint per range and page: a crash resumes after the last
committed page of every range and never re-reads it.
"""
from __future__ import annotations

import asyncio
import datetime as dt
import time

from connector import clock, leases, pages, sync_store
from connector.side_by_side import together
from connector.pages import Run
from connector.streams import Stream, initial, record_id
from connector.sync_store import Checkpoint

PHASES = ("recent", "history")
FLOOR = "2000-01-01 00:00:00"
PAGES_PER_RANGE = 2  # small units of work: the streams and phases finish together
RECORDS_PER_RANGE = 10  # streams whose details are one REST GET per record (deposits): short chains
MAX_RANGES = 64  # per stream and phase: bounds the checkpoint rows


class Slice:
    """How long a lease works on the initial sync; extended while no other tenant waits for a turn."""

    def __init__(self, seconds: float):
        self.seconds = seconds
        self.ends_at = time.monotonic() + seconds

    def open(self) -> bool:
        return time.monotonic() < self.ends_at

    def ending(self, within_s: float) -> bool:
        return self.ends_at - time.monotonic() < within_s

    def extend(self) -> None:
        self.ends_at += self.seconds


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


def rows_per_range(stream: Stream, page_size: int) -> int:
    return RECORDS_PER_RANGE if stream.detail and stream.detail.record else page_size * PAGES_PER_RANGE


def split(rows: int, low: int | None, high: int | None, per_range: int) -> list[tuple[int, int | None]]:
    """``(after_id, upper_id)`` ranges covering the ids; the last is open (records created meanwhile)."""
    if not rows or low is None or high is None:
        return [(0, None)]
    parts = max(1, min(MAX_RANGES, -(-rows // per_range)))
    span = high - low + 1
    bounds = [0] + [low - 1 + span * part // parts for part in range(1, parts)] + [None]
    return list(zip(bounds[:-1], bounds[1:]))


async def start(run: Run, recent_months: int, overlap_s: int, page_size: int) -> None:
    """Count what there is, fix the phase boundary, plan the ranges and start each incremental
    cursor at the newest change its stream has now (the initial sync reads everything before it).
    The queries of each step go out together."""
    *marks, now = await together(*(run.reader.high_water(stream.high_water_query()) for stream in run.streams),
                                 run.reader.local_now())
    marks = dict(zip((stream.name for stream in run.streams), marks))
    newest = max([mark for mark in marks.values() if mark] or [FLOOR])
    cutoff = months_back(clock.parse_local(now).date(), recent_months)  # the account's today, by its own clock
    work = [(phase, stream) for phase in PHASES for stream in initial(run.streams) if stream.in_phase(phase)]
    extents = await together(*(run.reader.page(stream.extent_query(phase, cutoff.isoformat()))
                               for phase, stream in work))
    totals: dict[str, int] = {}
    ranges: list[Checkpoint] = []
    for (phase, stream), page in zip(work, extents):
        row = page.items[0] if page.items else {}
        rows = int(row.get("n") or 0)
        totals[stream.name] = totals.get(stream.name, 0) + rows
        low, high = (int(row[key]) if row.get(key) not in (None, "") else None for key in ("low", "high"))
        ranges += [Checkpoint(phase, stream.name, part, after, upper)
                   for part, (after, upper) in enumerate(split(rows, low, high, rows_per_range(stream, page_size)))]
    async with run.pool.acquire() as connection, connection.transaction():
        await leases.fence(connection, run.tenant_id, run.owner, run.lease_ttl_s)
        await sync_store.start_initial_sync(connection, run.tenant_id, run.account_id, cutoff, totals, ranges)
        for stream in run.streams:
            await sync_store.reset_cursor(connection, run.tenant_id, stream.name, marks[stream.name] or newest)


async def apply(run: Run, stream: Stream, work: Checkpoint, page, pdfs: bool) -> bool:
    """Publish one page and commit its checkpoint; returns whether the range is complete."""
    rows = page.items
    done = not rows or not (page.has_more or page.truncated)
    next_id = int(record_id(stream, rows[-1])) if rows else work.last_id
    outcome = await pages.build(run, stream, rows, dedupe=False, pdfs=pdfs) if rows else pages.Outcome()
    rows.clear()  # mapped: while the commit is written the page holds its events only

    async def checkpoint(connection):
        await sync_store.save_checkpoint(connection, run.tenant_id, work, next_id, done, len(outcome.events))

    await pages.commit(run, stream, outcome, checkpoint, pdf_priority=1)
    work.last_id, work.done = next_id, done
    return done


async def _range(run: Run, stream: Stream, work: Checkpoint, cutoff: str, work_slice: Slice, pdfs: bool) -> None:
    """Pages of one range until it is complete or the slice ends.

    The next header page is read while the current one's lines are read and it is committed
    (its keyset start is known as soon as the current page arrives). A page read is always committed.
    """
    read = lambda after: asyncio.ensure_future(  # noqa: E731
        run.reader.page(stream.initial_query(work.phase, cutoff, after, work.upper_id)))
    upcoming = read(work.last_id)
    try:
        while upcoming is not None:
            page = await upcoming
            upcoming = None
            if page.items and (page.has_more or page.truncated) and work_slice.open():
                upcoming = read(int(record_id(stream, page.items[-1])))
            if await apply(run, stream, work, page, pdfs):
                return
            page = None  # not held while the next page is awaited
    finally:
        if upcoming is not None:
            upcoming.cancel()


def pending_work(run: Run, phase: str, marks: list[Checkpoint]) -> list[Checkpoint]:
    """The ranges still to read, recent before history; a stream without ranges (a sync started
    before ranges existed) is one open range."""
    known = {(mark.phase, mark.stream) for mark in marks}
    legacy = [Checkpoint(later, stream.name) for later in PHASES[PHASES.index(phase):]
              for stream in initial(run.streams) if stream.in_phase(later) and (later, stream.name) not in known]
    # Within a phase the ranges read one record at a time go first: the phase ends on short page ranges.
    order = {stream.name: (not (stream.detail and stream.detail.record), index)
             for index, stream in enumerate(run.streams)}
    work = [mark for mark in marks if mark.stream in order] + legacy
    return sorted(work, key=lambda mark: (PHASES.index(mark.phase), order[mark.stream], mark.part))


async def advance(run: Run, work_slice: Slice, pdf_scope: str, on_error, readers: int) -> bool:
    """Work through the ranges while ``work_slice`` is open with ``readers`` side by side; True
    when the whole initial sync is done.

    A reader takes the next range as soon as it is free, so history starts while the last
    recent ranges are still being read. A stream that fails is recorded by ``on_error`` and
    left alone for the rest of the slice; the other streams go on.
    """
    async with run.pool.acquire() as connection:
        state = await sync_store.initial_sync(connection, run.tenant_id)
        marks = await sync_store.checkpoints(connection, run.tenant_id)
    if state is None:
        return False
    if state.phase == "done":
        return True
    work = pending_work(run, state.phase, marks)
    queue = [mark for mark in work if not mark.done]
    streams = {stream.name: stream for stream in run.streams}
    failed: set[str] = set()

    async def reader() -> None:
        while queue and work_slice.open():
            mark = queue.pop(0)
            if mark.stream in failed:
                continue
            pdfs = pdf_scope == "all" or (pdf_scope == "recent" and mark.phase == "recent")
            try:
                await _range(run, streams[mark.stream], mark, state.cutoff.isoformat(), work_slice, pdfs)
            except Exception as error:  # noqa: BLE001 - on_error records it; the other streams go on
                if not await on_error(streams[mark.stream], error):
                    raise
                failed.add(mark.stream)

    await together(*(reader() for _ in range(max(1, readers))))
    return await _next_phase(run, state.phase, work)


async def _next_phase(run: Run, phase: str, work: list[Checkpoint]) -> bool:
    recent_done = all(mark.done for mark in work if mark.phase == "recent")
    reached = "done" if all(mark.done for mark in work) else "history" if recent_done else "recent"
    if reached != phase:
        async with run.pool.acquire() as connection, connection.transaction():
            await leases.fence(connection, run.tenant_id, run.owner, run.lease_ttl_s)
            await sync_store.set_phase(connection, run.tenant_id, reached)
    return reached == "done"
