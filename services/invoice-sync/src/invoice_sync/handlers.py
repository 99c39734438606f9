"""Use cases: a batch of contract events in (one transaction), the events to publish out.

Inputs are recorded as they arrive; every invoice they touch is then recomputed from all of its
stored inputs (``projection.project``), so arrival order never matters. Advisory locks serialise
batches of different consumers or instances that touch the same invoice.
"""
from __future__ import annotations

from collections import defaultdict

from contracts.customers import CustomerChanged
from contracts.envelope import Event
from contracts.invoices import InvoiceChanged
from contracts.payments import PaymentOutcomeRecorded
from contracts.transactions import DepositChanged

from invoice_sync import pdfs as pdf_bytes
from invoice_sync.batch import Batch
from invoice_sync.customers import apply_change
from invoice_sync.ids import key_of, platform_invoice_id
from invoice_sync.invoices import VOIDED, Archive
from invoice_sync.payments import merge_outcome
from invoice_sync.projection import InvoiceInputs, project
from invoice_sync.store import Key, Known, Store
from invoice_sync.views import customer_updated

CONSUMER = "invoice-sync"


async def handle_batch(events: list[Event], store: Store, raw: dict[str, bytes] | None = None,
                       pdfs: dict[str, bytes] | None = None) -> list[Event]:
    """One transaction's events in, the events to publish out.

    ``raw``: the bytes events arrived as, by event id (NetSuite versions are kept as they came).
    ``pdfs``: the bytes of the PDFs version 2 events refer to, by SHA-256 (fetched before the transaction).
    Locks are taken in one global order (payments per tenant, then invoices and customers), so
    concurrent batches never deadlock and never compute an invoice from inputs they cannot see.
    """
    batch = await unseen(events, store, raw or {})
    await store.lock(batch.payment_locks())
    paid = batch.paid_invoices() | await record_deposits(batch.deposits, store)
    await store.lock(batch.record_locks(paid))
    known = await record_invoice_inputs(batch, store, pdfs or {})
    await record_outcomes(batch.outcomes, store)
    keys = batch.invoice_keys() | set((await store.invoice_keys(sorted(paid))).values() if paid else ())
    return await refresh_invoices(sorted(keys), store, known) + await apply_customer_changes(batch.customers, store)


async def unseen(events: list[Event], store: Store, raw: dict[str, bytes]) -> Batch:
    """The events that matter here and were not applied before (claimed in the inbox now)."""
    relevant = {e.event_id: e for e in events if Batch.relevant(e)}
    fresh = await store.claim(CONSUMER, list(relevant))
    return Batch.of([e for event_id, e in relevant.items() if event_id in fresh], raw)


async def record_invoice_inputs(batch: Batch, store: Store, pdfs: dict[str, bytes]) -> Known:
    """Store versions, archives and PDFs; the versions just stored, so they need not be read back."""
    versions = {}
    archives: dict[Key, Archive] = {}
    for event in batch.invoices:
        key = key_of(event)
        if isinstance(event, InvoiceChanged):
            versions[(key, event.data.last_modified)] = event  # the later one within a second wins
        elif key not in archives or event.data.detected_at < archives[key].detected_at:
            archives[key] = Archive(event.data.reason, event.data.detected_at)
    await store.save_versions([(e, batch.raw.get(e.event_id) or e.to_bytes()) for e in versions.values()])
    await store.save_archives(list(archives.items()))
    latest = {}
    for event in batch.pdfs:
        key = key_of(event)
        if key not in latest or event.data.invoice_last_modified >= latest[key].data.invoice_last_modified:
            latest[key] = event
    blobs = {e.data.sha256.lower(): pdf_bytes.content(e, pdfs) for e in latest.values()}
    await store.save_pdfs(blobs, [(k, e.data.sha256.lower(), e.data.file_name, e.data.invoice_last_modified)
                                  for k, e in latest.items()])
    return {key_and_time: event.data for key_and_time, event in versions.items()}


async def record_outcomes(outcomes: list[PaymentOutcomeRecorded], store: Store) -> None:
    if not outcomes:
        return
    known = await store.payments(sorted({(e.tenant_id, e.data.payment_id) for e in outcomes}))
    for event in outcomes:
        key = (event.tenant_id, event.data.payment_id)
        known[key] = merge_outcome(known.get(key), event.data)
    await store.save_payments([(tenant, payment) for (tenant, _), payment in known.items()])


async def record_deposits(deposits: list[DepositChanged], store: Store) -> set[Key]:
    """R4: store each deposit's newest version; the invoices whose platform payments it (un)lists."""
    if not deposits:
        return set()
    known = await store.deposits(sorted({key_of(e) for e in deposits}))
    touched: set[Key] = set()
    changed: dict[Key, tuple] = {}
    for event in deposits:
        key = key_of(event)
        current = known.get(key)
        if current is not None and event.data.last_modified < current[0]:
            continue  # an older version of the deposit
        payment_ids = sorted(set(event.data.payment_netsuite_ids))
        touched |= {(event.tenant_id, p) for p in payment_ids + (current[1] if current else [])}
        known[key] = changed[key] = (event.data.last_modified, payment_ids)
    await store.save_deposits([(key, at, payment_ids) for key, (at, payment_ids) in changed.items()])
    return await store.invoices_paid_by(sorted(touched))


async def refresh_invoices(keys: list[Key], store: Store, known: Known | None = None) -> list[Event]:
    """Recompute the platform invoices ``keys`` from their stored inputs; store and announce changes.

    Without platform payments or an archive an invoice is its newest NetSuite version, which the
    first query brings along; only the others need their whole history read.
    """
    if not keys:
        return []
    ids = {key: platform_invoice_id(*key) for key in keys}
    stored = await store.invoice_inputs([(t, n, ids[(t, n)]) for t, n in keys], known)
    involved = sorted(k for k, s in stored.items() if s.paid_on_platform or s.archive or _voided(s.latest))
    history = await store.versions(involved, known)
    payments = await store.payments_on([(t, ids[(t, n)]) for t, n in involved]) if involved else {}
    deposited = await _deposited(payments, store)
    records, events = [], []
    for key in keys:
        found = stored[key]
        versions = history.get(key) or ([found.latest] if found.latest else [])
        inputs = InvoiceInputs(key[0], key[1], versions, payments.get((key[0], ids[key]), []), found.archive,
                               found.pdf, deposited.get(key[0], {}), ids[key])
        projection = project(inputs, found.row)
        if projection is not None:
            records.append(projection.record)
            events.extend(projection.events)
    await store.save_invoices(records)
    return events


def _voided(version) -> bool:
    return version is not None and version.netsuite_status.lower() in VOIDED


async def _deposited(payments: dict, store: Store) -> dict[str, dict]:
    """Per tenant: NetSuite payment id → when a NetSuite deposit listed it (R4)."""
    written = sorted({(t, p.netsuite_payment_id) for (t, _), ps in payments.items() for p in ps if p.netsuite_payment_id})
    by_tenant: dict[str, dict] = defaultdict(dict)
    for (tenant, payment_id), at in (await store.deposited(written) if written else {}).items():
        by_tenant[tenant][payment_id] = at
    return by_tenant


async def apply_customer_changes(changes: list[CustomerChanged], store: Store) -> list[Event]:
    """R2/R7: newest NetSuite version wins; only changes the platform can see are published."""
    if not changes:
        return []
    known = await store.customers(sorted({key_of(e) for e in changes}))
    changed, events = {}, []
    for event in sorted(changes, key=lambda e: e.data.last_modified):
        key = key_of(event)
        outcome = apply_change(event.tenant_id, known.get(key), event.data)
        if outcome is None:
            continue
        known[key] = changed[key] = outcome.customer
        if outcome.published:
            events.append(customer_updated(outcome.customer))
    await store.save_customers(list(changed.values()))
    return events
