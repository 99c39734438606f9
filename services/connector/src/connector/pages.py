"""One page of NetSuite rows -> events, and its commit: outbox + checkpoint in one fenced transaction.

A crash before the commit re-reads the page (same deterministic event ids); after it, the page is
never read again. Per-record failures become ``sync_error`` action items (published and shown in
the status) and never stop the other records of the page.
"""
from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from decimal import Decimal

from contracts.action_items import ActionItemData, ActionItemRaised, ActionItemResolved
from contracts.envelope import envelope_fields, utc_now
from contracts.invoices import InvoiceArchived, InvoiceChanged
from sb_runtime import outbox

from connector import drift_store, leases, mapping, store, sync_store
from connector.errors import MappingError
from connector.netsuite import Details, NetSuiteReader
from connector.side_by_side import together
from connector.streams import ALL, Stream, record_id

MAX_IN_LIST = 1000
LABELS = {"invoices": "invoice", "customers": "customer", "payments": "customer payment",
          "credits": "credit memo", "deposits": "deposit", "deletions": "deleted invoice",
          "pdfs": "invoice"}


@dataclass
class Run:
    """One lease on one tenant: who holds it and how to reach NetSuite."""

    tenant_id: str
    owner: str
    account_id: str
    context: mapping.Context
    reader: NetSuiteReader
    pool: object
    lease_ttl_s: float
    streams: tuple[Stream, ...] = ALL  # this account's form of the streams (OneWorld or not)


@dataclass
class Outcome:
    events: list = field(default_factory=list)  # outbox messages: serialised as mapped, so a page
    # holds its events' bytes rather than their models (memory per page in flight)
    versions: list[tuple[str, str, str]] = field(default_factory=list)
    pdf_jobs: list = field(default_factory=list)
    pdf_drops: list[str] = field(default_factory=list)
    failures: dict[str, str] = field(default_factory=dict)
    succeeded: list[str] = field(default_factory=list)
    # What the drift sweep compares NetSuite with (drift.py): invoices published open (id, open
    # amount, version) and those published closed, paid or archived.
    published_open: list[tuple[str, Decimal, str]] = field(default_factory=list)
    published_closed: list[str] = field(default_factory=list)
    archived_ids: list[str] = field(default_factory=list)


@dataclass
class Joined:
    """Details read together with their header rows, and the records whose details were read so
    (the others' details, if they have any, are read apart)."""

    details: Details
    read: set[str]


def sync_error_id(stream: str, netsuite_id: str | None = None) -> str:
    return f"sync_error:{stream}" + (f":{netsuite_id}" if netsuite_id else "")


def sync_error_message(stream: str, netsuite_id: str | None, reason: str, account_id: str = "") -> str:
    if netsuite_id is None:
        account = f" account {account_id}" if account_id else ""
        return f"Reading {stream} from NetSuite{account} failed: {reason}"
    return f"NetSuite {LABELS.get(stream, stream)} {netsuite_id} could not be synced: {reason}"


async def build(run: Run, stream: Stream, rows: list[dict], *, dedupe: bool, pdfs: bool,
                pdfs_from: str | None = None, joined: Joined | None = None) -> Outcome:
    """Map every row, reading the page's details with one query for all rows that need them
    (but those ``joined`` read with the rows: a joined incremental query).

    With ``dedupe`` (incremental polls re-read an overlap window), rows whose version —
    ``lastmodifieddate`` and a digest of the header row — was published already are skipped
    before their details are read.
    """
    outcome = Outcome()
    ids = [record_id(stream, row) for row in rows]
    versions = {netsuite_id: (row.get("modified", ""), mapping.digest(row))
                for row, netsuite_id in zip(rows, ids)} if dedupe else {}
    if dedupe:
        async with run.pool.acquire() as connection:
            seen = await sync_store.versions(connection, run.tenant_id, stream.name, ids)
        fresh = [(row, netsuite_id) for row, netsuite_id in zip(rows, ids) if seen.get(netsuite_id) != versions[netsuite_id]]
    else:
        fresh = list(zip(rows, ids))
    details = joined.details if joined else None
    missing = [netsuite_id for _, netsuite_id in fresh if joined is None or netsuite_id not in joined.read]
    if stream.detail and missing:
        apart = await read_details(run, stream, missing)
        if details is None:
            details = apart
        else:
            details.rows.update(apart.rows)
            details.failed.update(apart.failed)
    for row, netsuite_id in fresh:
        if details is not None and netsuite_id in details.failed:
            outcome.failures[netsuite_id] = details.failed[netsuite_id]
            continue
        try:  # each record's details go as it is mapped: a page holds its events, not its rows twice over
            event = stream.mapper(run.context, row, details.rows.pop(netsuite_id, []) if details else [])
        except MappingError as error:
            outcome.failures[netsuite_id] = str(error)
            continue
        outcome.succeeded.append(netsuite_id)
        outcome.events.append(outbox.from_event(event))
        if dedupe:
            outcome.versions.append((netsuite_id, *versions[netsuite_id]))
        if isinstance(event, InvoiceChanged) and pdfs and (pdfs_from is None or row["modified"] >= pdfs_from):
            outcome.pdf_jobs.append((netsuite_id, row["modified"], event.data.last_modified))
        elif isinstance(event, InvoiceArchived):
            outcome.pdf_drops.append(netsuite_id)
        _remember_balance(outcome, event, netsuite_id, row)
    return outcome


def _remember_balance(outcome: Outcome, event, netsuite_id: str, row: dict) -> None:
    if isinstance(event, InvoiceChanged) and event.data.amount_remaining > 0:
        outcome.published_open.append((netsuite_id, event.data.amount_remaining, row.get("modified", "")))
    elif isinstance(event, (InvoiceChanged, InvoiceArchived)):
        outcome.published_closed.append(netsuite_id)


async def read_details(run: Run, stream: Stream, ids: list[str]) -> Details:
    """The details of ``ids``, one query per ``IN`` list of at most 1,000 ids (SuiteQL's limit), side by side."""
    chunks = [ids[start:start + MAX_IN_LIST] for start in range(0, len(ids), MAX_IN_LIST)]
    if len(chunks) == 1:
        return await run.reader.details(stream.detail, ids)
    merged = Details()
    for part in await together(*(run.reader.details(stream.detail, chunk) for chunk in chunks)):
        for netsuite_id, rows in part.rows.items():
            merged.rows[netsuite_id].extend(rows)
        merged.failed.update(part.failed)
    return merged


def _item_event(run: Run, item: store.ActionItem, resolved: bool):
    data = ActionItemData(item_id=item.item_id, kind=item.kind, message=item.message, netsuite_id=item.netsuite_id,
                          source=item.source, at=item.at)
    model = ActionItemResolved if resolved else ActionItemRaised
    parts = (item.item_id, "resolved" if resolved else mapping.digest({"message": item.message}), item.at.isoformat())
    return model(**envelope_fields(model.model_fields["event_type"].default, run.tenant_id, *parts), data=data)


async def record_errors(connection, run: Run, stream: str, failures: dict[str | None, str],
                        succeeded: list[str | None]) -> None:
    """Raise a sync_error item per failure; resolve the open ones of records that synced now."""
    now = utc_now()
    events = []
    already = await store.open_sync_errors(connection, run.tenant_id,
                                           [sync_error_id(stream, netsuite_id) for netsuite_id in failures])
    for netsuite_id, reason in failures.items():
        if sync_error_id(stream, netsuite_id) in already:
            continue  # raised before and still open: nothing new to say
        item = store.ActionItem(sync_error_id(stream, netsuite_id), "sync_error",
                                sync_error_message(stream, netsuite_id, reason, run.account_id), "connector", now,
                                netsuite_id=netsuite_id)
        await store.upsert_item(connection, run.tenant_id, item, resolved=False)
        events.append(_item_event(run, item, resolved=False))
    candidates = [sync_error_id(stream, netsuite_id) for netsuite_id in succeeded]
    for item_id in await store.open_sync_errors(connection, run.tenant_id, candidates) if candidates else ():
        netsuite_id = item_id.split(":", 2)[2] if item_id.count(":") >= 2 else None
        item = store.ActionItem(item_id, "sync_error", "Synced again.", "connector", now, netsuite_id=netsuite_id)
        await store.upsert_item(connection, run.tenant_id, item, resolved=True)
        events.append(_item_event(run, item, resolved=True))
    await outbox.add(connection, [outbox.from_event(event) for event in events])


async def commit(run: Run, stream: Stream, outcome: Outcome, checkpoint: Callable[[object], Awaitable[None]],
                 pdf_priority: int = 0) -> None:
    async with run.pool.acquire() as connection, connection.transaction():
        await leases.fence(connection, run.tenant_id, run.owner, run.lease_ttl_s)
        await outbox.add(connection, outcome.events)
        await sync_store.remember_versions(connection, run.tenant_id, stream.name, outcome.versions)
        await drift_store.remember(connection, run.tenant_id, outcome.published_open, outcome.published_closed)
        await sync_store.queue_pdfs(connection, run.tenant_id, outcome.pdf_jobs, pdf_priority)
        await sync_store.drop_pdf_jobs(connection, run.tenant_id, outcome.pdf_drops)
        await record_errors(connection, run, stream.name, outcome.failures, outcome.succeeded)
        await sync_store.count_synced(connection, run.tenant_id, len(outcome.events))
        await checkpoint(connection)
