"""The write side's store: what the handlers need (``Store``), on PostgreSQL (``PgStore``), per transaction.

``testing.FakeStore`` is the same in memory; ``tests/integration/test_store_contract.py`` runs one
contract against both. Every method is one statement over a whole batch (``unnest`` arrays).
"""
from __future__ import annotations

import contextlib
import datetime as dt
from collections import defaultdict
from collections.abc import AsyncIterator, Iterable
from dataclasses import dataclass
from typing import Protocol

import asyncpg

from contracts.invoices import InvoiceChanged, InvoiceChangedData
from sb_runtime.db import dumps
from sb_runtime.outbox import OutboundMessage

from invoice_sync import statements as sql
from invoice_sync.customers import Customer
from invoice_sync.ids import key_of
from invoice_sync.invoices import Archive
from invoice_sync.payments import Payment
from invoice_sync.projection import InvoiceRecord, InvoiceRow, Pdf

Key = tuple[str, str]  # (tenant_id, netsuite_id)
Known = dict[tuple[Key, dt.datetime], InvoiceChangedData]


def _columns(rows: Iterable[tuple], width: int) -> list[list]:
    """Rows to the column arrays ``unnest`` takes."""
    columns = [list(column) for column in zip(*rows, strict=True)]
    return columns or [[] for _ in range(width)]


def _split(keys: Iterable[Key]) -> list[list[str]]:
    return _columns(keys, 2)


class Store(Protocol):
    """What the handlers read and write inside one transaction (keys: ``Key`` unless said otherwise)."""

    async def claim(self, consumer: str, event_ids: list[str]) -> set[str]:
        """Inbox: the ids not processed before (recorded now, committed with the effect)."""

    async def lock(self, keys: Iterable[str]) -> None:
        """Advisory locks until commit, in one global order."""

    async def add_to_outbox(self, messages: list[OutboundMessage]) -> None: ...

    async def save_versions(self, versions: list[tuple[InvoiceChanged, bytes]]) -> None:
        """InvoiceChanged events with the bytes they arrived as; the same ``last_modified`` again replaces."""

    async def versions(self, keys: list[Key], known: Known | None = None) -> dict[Key, list[InvoiceChangedData]]:
        """Every NetSuite version per invoice, oldest first (``known`` ones need not be parsed again)."""

    async def invoice_inputs(self, keys: list[tuple[str, str, str]], known: Known | None = None) -> dict[Key, StoredInvoice]:
        """(tenant, NetSuite id, platform id) → what is stored about the invoice (every key, even unknown ones)."""

    async def save_archives(self, archives: list[tuple[Key, Archive]]) -> None:
        """The earliest detection wins."""

    async def save_pdfs(self, blobs: dict[str, bytes], pdfs: list[tuple[Key, str, str, dt.datetime]]) -> None:
        """Blobs by sha256; per invoice (key, sha256, file name, invoice last modified), the newest invoice wins."""

    async def payments(self, tenant_payment_ids: list[Key]) -> dict[Key, Payment]: ...

    async def payments_on(self, tenant_invoice_ids: list[Key]) -> dict[Key, list[Payment]]:
        """Platform payments per (tenant, platform invoice id)."""

    async def save_payments(self, payments: list[tuple[str, Payment]]) -> None: ...

    async def invoices_paid_by(self, tenant_netsuite_payment_ids: list[Key]) -> set[Key]:
        """(tenant, platform invoice id) of the platform payments written as these NetSuite payments."""

    async def deposits(self, keys: list[Key]) -> dict[Key, tuple[dt.datetime, list[str]]]: ...

    async def save_deposits(self, deposits: list[tuple[Key, dt.datetime, list[str]]]) -> None:
        """(deposit key, last modified, NetSuite payment ids), one row per deposit; replaces what is stored."""

    async def deposited(self, tenant_netsuite_payment_ids: list[Key]) -> dict[Key, dt.datetime]:
        """NetSuite payments in a NetSuite deposit → when the earliest such deposit last changed (R4)."""

    async def invoice_keys(self, tenant_invoice_ids: list[Key]) -> dict[Key, Key]:
        """(tenant, platform invoice id) → (tenant, NetSuite id) for invoices that exist."""

    async def save_invoices(self, records: list[InvoiceRecord]) -> None: ...

    async def customers(self, keys: list[Key]) -> dict[Key, Customer]: ...

    async def save_customers(self, customers: list[Customer]) -> None: ...


class Transactions(Protocol):
    def transaction(self) -> contextlib.AbstractAsyncContextManager[Store]:
        """A ``Store`` whose writes commit together when the block ends, or not at all."""


class PgTransactions:
    def __init__(self, pool: asyncpg.Pool):
        self._pool = pool

    @contextlib.asynccontextmanager
    async def transaction(self) -> AsyncIterator[PgStore]:
        async with self._pool.acquire() as connection, connection.transaction():
            yield PgStore(connection)


class PgStore:
    """``Store`` on PostgreSQL, inside the caller's transaction."""

    def __init__(self, connection: asyncpg.Connection):
        self._connection = connection

    async def claim(self, consumer: str, event_ids: list[str]) -> set[str]:
        """Inbox: the ids not processed before (recorded now, committed with the effect)."""
        if not event_ids:
            return set()
        rows = await self._connection.fetch(sql.CLAIM, consumer, event_ids)
        return {row["event_id"] for row in rows}

    async def lock(self, keys: Iterable[str]) -> None:
        """Advisory locks until commit, taken in one sorted sweep (so batches never deadlock each other)."""
        keys = sorted(set(keys))
        if keys:
            await self._connection.execute(sql.LOCK, keys)

    async def add_to_outbox(self, messages: list[OutboundMessage]) -> None:
        if messages:
            rows = ((m.topic, m.key, m.value, dumps(m.headers)) for m in messages)
            await self._connection.execute(sql.OUTBOX, *_columns(rows, 4))

    async def save_versions(self, versions: list[tuple[InvoiceChanged, bytes]]) -> None:
        """InvoiceChanged events with the bytes they arrived as."""
        if versions:
            rows = ((*key_of(e), e.data.last_modified, raw) for e, raw in versions)
            await self._connection.execute(sql.SAVE_VERSIONS, *_columns(rows, 4))

    async def versions(self, keys: list[Key], known: Known | None = None) -> dict[Key, list[InvoiceChangedData]]:
        """Every NetSuite version per invoice, oldest first; ``known`` ones (just saved) are not parsed again."""
        found: dict[Key, list[InvoiceChangedData]] = defaultdict(list)
        if keys:
            for row in await self._connection.fetch(sql.VERSIONS, *_split(keys)):
                key = (row["tenant_id"], row["netsuite_id"])
                found[key].append(parsed_version(key, row["last_modified"], row["event"], known or {}))
        return found

    async def invoice_inputs(self, keys: list[tuple[str, str, str]], known: Known | None = None) -> dict[Key, StoredInvoice]:
        """(tenant, NetSuite id, platform id) → what is stored about the invoice, with its newest version."""
        rows = await self._connection.fetch(sql.INVOICE_INPUTS, *_columns(keys, 3))
        return {(r["tenant_id"], r["netsuite_id"]): _stored_invoice(r, known or {}) for r in rows}

    async def save_archives(self, archives: list[tuple[Key, Archive]]) -> None:
        if archives:
            rows = ((t, n, a.reason, a.detected_at) for (t, n), a in archives)
            await self._connection.execute(sql.SAVE_ARCHIVES, *_columns(rows, 4))

    async def save_pdfs(self, blobs: dict[str, bytes], pdfs: list[tuple[Key, str, str, dt.datetime]]) -> None:
        if blobs:
            await self._connection.execute(sql.SAVE_BLOBS, *_columns(blobs.items(), 2))
        if pdfs:
            rows = ((t, n, sha, name, at) for (t, n), sha, name, at in pdfs)
            await self._connection.execute(sql.SAVE_PDFS, *_columns(rows, 5))

    async def payments(self, tenant_payment_ids: list[Key]) -> dict[Key, Payment]:
        rows = await self._connection.fetch(sql.PAYMENTS_BY_ID, *_split(tenant_payment_ids))
        return {(r["tenant_id"], r["payment_id"]): _payment(r) for r in rows}

    async def payments_on(self, tenant_invoice_ids: list[Key]) -> dict[Key, list[Payment]]:
        """Platform payments per (tenant, platform invoice id)."""
        found: dict[Key, list[Payment]] = defaultdict(list)
        for row in await self._connection.fetch(sql.PAYMENTS_BY_INVOICE, *_split(tenant_invoice_ids)):
            found[(row["tenant_id"], row["invoice_id"])].append(_payment(row))
        return found

    async def save_payments(self, payments: list[tuple[str, Payment]]) -> None:
        if payments:
            rows = ((t, p.payment_id, p.invoice_id, p.amount, p.applied_amount, p.status, p.netsuite_payment_id,
                     p.received_at, p.written_at, p.failed_at, p.last_recorded_at) for t, p in payments)
            await self._connection.execute(sql.SAVE_PAYMENTS, *_columns(rows, 11))

    async def invoices_paid_by(self, tenant_netsuite_payment_ids: list[Key]) -> set[Key]:
        """(tenant, platform invoice id) of the platform payments written as these NetSuite payments."""
        rows = await self._connection.fetch(sql.PAYMENTS_BY_NETSUITE_ID, *_split(tenant_netsuite_payment_ids))
        return {(r["tenant_id"], r["invoice_id"]) for r in rows}

    async def deposits(self, keys: list[Key]) -> dict[Key, tuple[dt.datetime, list[str]]]:
        rows = await self._connection.fetch(sql.DEPOSITS, *_split(keys))
        return {(r["tenant_id"], r["netsuite_id"]): (r["last_modified"], list(r["payment_ids"])) for r in rows}

    async def save_deposits(self, deposits: list[tuple[Key, dt.datetime, list[str]]]) -> None:
        if deposits:
            # text[][] cannot hold rows of different lengths: each row's ids travel as one JSON array.
            rows = ((t, n, at, dumps(ids)) for (t, n), at, ids in deposits)
            await self._connection.execute(sql.SAVE_DEPOSITS, *_columns(rows, 4))

    async def deposited(self, tenant_netsuite_payment_ids: list[Key]) -> dict[Key, dt.datetime]:
        """NetSuite payments that are in a NetSuite deposit → when that deposit last changed (R4)."""
        rows = await self._connection.fetch(sql.DEPOSITED, *_split(tenant_netsuite_payment_ids))
        return {(r["tenant_id"], r["payment_id"]): r["deposited_at"] for r in rows}

    async def invoice_keys(self, tenant_invoice_ids: list[Key]) -> dict[Key, Key]:
        """(tenant, platform invoice id) → (tenant, NetSuite id) for invoices that exist."""
        rows = await self._connection.fetch(sql.INVOICE_KEYS_BY_ID, *_split(tenant_invoice_ids))
        return {(r["tenant_id"], r["id"]): (r["tenant_id"], r["netsuite_id"]) for r in rows}

    async def save_invoices(self, records: list[InvoiceRecord]) -> None:
        if records:
            await self._connection.execute(sql.SAVE_INVOICES, *_columns((r.values for r in records), 23))

    async def customers(self, keys: list[Key]) -> dict[Key, Customer]:
        rows = await self._connection.fetch(sql.CUSTOMERS, *_split(keys))
        return {(r["tenant_id"], r["netsuite_id"]): Customer(**dict(r)) for r in rows}

    async def save_customers(self, customers: list[Customer]) -> None:
        if customers:
            rows = ((c.tenant_id, c.netsuite_id, c.id, c.name, c.email, c.currency, c.subsidiary, c.inactive,
                     c.last_modified, c.version, c.updated_at) for c in customers)
            await self._connection.execute(sql.SAVE_CUSTOMERS, *_columns(rows, 11))


@dataclass(frozen=True)
class StoredInvoice:
    row: InvoiceRow | None  # None: never shown on the platform yet
    archive: Archive | None
    pdf: Pdf | None
    latest: InvoiceChangedData | None  # the newest NetSuite version
    paid_on_platform: bool  # has platform payments: its history matters


def parsed_version(key: Key, last_modified: dt.datetime, event: bytes, known: Known) -> InvoiceChangedData:
    return known.get((key, last_modified)) or InvoiceChanged.model_validate_json(event).data


def _stored_invoice(r: asyncpg.Record, known: Known) -> StoredInvoice:
    key = (r["tenant_id"], r["netsuite_id"])
    row = InvoiceRow(r["fingerprint"], r["version"], r["reverts"], r["updated_at"]) if r["fingerprint"] else None
    return StoredInvoice(
        row=row, archive=Archive(r["reason"], r["detected_at"]) if r["reason"] else None,
        pdf=Pdf(r["sha256"], r["invoice_last_modified"]) if r["sha256"] else None,
        latest=parsed_version(key, r["last_modified"], r["event"], known) if r["event"] else None,
        paid_on_platform=r["paid_on_platform"],
    )


def _payment(row: asyncpg.Record) -> Payment:
    return Payment(payment_id=row["payment_id"], invoice_id=row["invoice_id"], amount=row["amount"],
                   applied_amount=row["applied_amount"], status=row["status"],
                   netsuite_payment_id=row["netsuite_payment_id"], received_at=row["received_at"],
                   written_at=row["written_at"], failed_at=row["failed_at"], last_recorded_at=row["last_recorded_at"])
