"""Drift repair (architecture §3): a cheap, periodic sweep of a tenant's open invoices heals what
change detection missed — a save that committed after the overlap window, an event lost on its
way — and counts what it found (docs/decisions/connector-drift-repair.md).

One sweep reads NetSuite's open invoices (balance > 0) by id in 1,000-row pages: id, open amount,
``lastmodifieddate`` — one SuiteQL call per page. Each page is compared with what the connector last
published of the invoices in the same id range. An invoice that differs (open amount or version),
that NetSuite shows open but was never published as open, or that was published open but is no
longer open in NetSuite is read again with its lines and re-published through the normal path
(``pages.build``/``pages.commit``: deterministic event ids, so re-publishing what downstream has is
a no-op there). An invoice NetSuite no longer has is archived (R6).

The sweep uses spare budget only: connected tenants (never during the initial sync), after the
poll's fresh changes found nothing more to do, while no other tenant waits for a turn, a few pages
per poll; write-back's requests keep their priority through the shared budget.
"""
from __future__ import annotations

import datetime as dt
import weakref
from dataclasses import dataclass
from decimal import Decimal

from prometheus_client import CollectorRegistry, Counter
from sb_runtime import outbox

from connector import drift_store, leases, mapping, pages
from connector.streams import LOCAL

OPEN_INVOICES = (
    f"SELECT t.id, t.foreignamountunpaid, TO_CHAR(t.lastmodifieddate, {LOCAL}) AS modified FROM transaction t "
    "WHERE t.type = 'CustInvc' AND t.voided = 'F' AND t.foreignamountunpaid > 0 AND t.id > {after} ORDER BY t.id")
MAX_IN_LIST = pages.MAX_IN_LIST
_METRICS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


@dataclass(frozen=True)
class Metrics:
    checked: Counter
    repaired: Counter


def metrics(registry: CollectorRegistry) -> Metrics:
    """The sweep's counters on a service's registry (``/metrics``), created once per registry."""
    if registry not in _METRICS:
        _METRICS[registry] = Metrics(
            Counter("sb_drift_checked_total", "Open invoices compared by the drift sweep", registry=registry),
            Counter("sb_drift_repaired_total", "Invoices the drift sweep re-published", ["kind"], registry=registry))
    return _METRICS[registry]


@dataclass(frozen=True)
class Page:
    last_id: int
    checked: int
    repaired: int
    done: bool


async def step(run: pages.Run, interval_s: float, pages_per_poll: int, counters: Metrics,
               now: dt.datetime | None = None) -> bool:
    """Up to ``pages_per_poll`` pages of the tenant's sweep when one is due; whether it goes on."""
    now = now or dt.datetime.now(dt.UTC)
    async with run.pool.acquire() as connection:
        sweep = await drift_store.sweep(connection, run.tenant_id)
        if sweep is None:  # just synced (the initial sync read everything): the first sweep is due later
            await drift_store.settle(connection, run.tenant_id, now)
            return False
        if not sweep.running:
            if sweep.finished_at is not None and (now - sweep.finished_at).total_seconds() < interval_s:
                return False
            await drift_store.start(connection, run.tenant_id, now)
            sweep = await drift_store.sweep(connection, run.tenant_id)
    last_id = sweep.last_id
    for _ in range(pages_per_poll):
        page = await sweep_page(run, last_id, sweep.baseline, counters)
        last_id = page.last_id
        if page.done:
            async with run.pool.acquire() as connection:
                await drift_store.finish(connection, run.tenant_id, dt.datetime.now(dt.UTC))
            return False
    return True


async def sweep_page(run: pages.Run, after: int, baseline: bool, counters: Metrics) -> Page:
    """Compare one page of NetSuite's open invoices with what was published, and repair."""
    found = await run.reader.page(OPEN_INVOICES.format(after=int(after)))
    rows = found.items
    done = not (found.has_more or found.truncated) or not rows
    upto = None if done else int(rows[-1]["id"])
    netsuite = {row["id"]: (Decimal(row["foreignamountunpaid"]), row.get("modified", "")) for row in rows}
    async with run.pool.acquire() as connection:
        published = await drift_store.published(connection, run.tenant_id, after, upto)
    differ = [i for i, value in netsuite.items() if not _same(published.get(i), value)]
    gone = [i for i in published if i not in netsuite]
    repair = gone if baseline else differ + gone
    new_versions = {i for i in repair if published.get(i, (None, None))[1] != netsuite.get(i, (None, None))[1]}
    outcome = await _reread(run, repair, new_versions)
    if baseline:  # first sweep of a tenant older than this record: take NetSuite's word as published
        outcome.published_open += [(i, *netsuite[i]) for i in differ]
    repaired = len(outcome.events)
    last_id = upto if upto is not None else max([after, *(int(i) for i in netsuite)])

    async def checkpoint(connection):
        await drift_store.advance(connection, run.tenant_id, last_id, len(rows), repaired)

    await pages.commit(run, _invoices(run), outcome, checkpoint)
    counters.checked.inc(len(rows))
    if repaired:
        counters.repaired.labels("changed").inc(len(outcome.events) - len(outcome.archived_ids))
        counters.repaired.labels("gone").inc(len(outcome.archived_ids))
    return Page(last_id, len(rows), repaired, done)


def _same(published: tuple[Decimal, str] | None, netsuite: tuple[Decimal, str]) -> bool:
    return published is not None and published[0] == netsuite[0] and published[1] == netsuite[1]


def _invoices(run: pages.Run):
    return next(stream for stream in run.streams if stream.name == "invoices")


async def _reread(run: pages.Run, ids: list[str], new_versions: set[str]) -> pages.Outcome:
    """The invoices read again with their lines and mapped as a poll would; those NetSuite no
    longer has are archived. PDFs only for versions that changed."""
    stream = _invoices(run)
    rows: list[dict] = []
    for start in range(0, len(ids), MAX_IN_LIST):
        chunk = ", ".join(str(int(i)) for i in ids[start:start + MAX_IN_LIST])
        found = await run.reader.page(f"{stream.select()} WHERE {stream.where} AND t.id IN ({chunk}) ORDER BY t.id")
        rows += found.items
    outcome = await pages.build(run, stream, rows, dedupe=False, pdfs=stream.pdfs) if rows else pages.Outcome()
    outcome.pdf_jobs = [job for job in outcome.pdf_jobs if job[0] in new_versions]
    missing = sorted(set(ids) - {row["id"] for row in rows})
    if missing:
        now_local = await run.reader.local_now()
        for invoice_id in missing:
            event = mapping.archived(run.context, {"id": invoice_id, "modified": now_local}, "deleted")
            outcome.events.append(outbox.from_event(event))
            outcome.pdf_drops.append(invoice_id)
            outcome.published_closed.append(invoice_id)
            outcome.archived_ids.append(invoice_id)
    return outcome


async def may_sweep(run: pages.Run) -> bool:
    """Spare budget only: no other tenant waits for a turn."""
    return not await leases.others_waiting(run.pool, run.tenant_id)
