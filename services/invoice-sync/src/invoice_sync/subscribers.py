"""Transport edge: decode each message into its contract event, apply a batch in a few transactions.

Decoding is per message: a message that is not a valid contract event (or an inline PDF that is not
what it claims to be) raises here and the batch edge dead-letters it alone. PDFs sent by reference are
fetched before any transaction (``pdfs.PdfSource``); one that is not what it claims is ``Permanent``,
so the edge splits the batch and dead-letters that message alone. A batch is split into
lanes by partition, each applied in its own transaction at the same time, so one lane's Python
work overlaps the other's database round trips (a record key lives on one partition, so lanes
never share one; handlers lock invoices that two topics touch). Database trouble that a retry
can fix becomes ``Transient`` and the batch edge retries the batch; lanes that did commit are
absorbed by the inbox the second time.
"""
from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass
from functools import cache
from typing import Annotated, Union

import asyncpg
from pydantic import Field, TypeAdapter

from contracts.envelope import Event
from contracts.invoices import InvoicePdfFetched, InvoicePdfFetchedV2
from contracts.registry import TOPIC_EVENTS
from sb_runtime.kafka import Inbound
from sb_runtime.logging import get_logger
from sb_runtime.outbox import from_event

from invoice_sync import handlers
from invoice_sync.deps import Deps
from invoice_sync.errors import Transient
from invoice_sync.pdfs import verified_content

log = get_logger(__name__)

RETRYABLE = (asyncpg.DeadlockDetectedError, asyncpg.SerializationError, asyncpg.PostgresConnectionError,
             asyncpg.CannotConnectNowError, asyncpg.TooManyConnectionsError, asyncpg.InterfaceError,
             asyncpg.QueryCanceledError, OSError, TimeoutError)


@dataclass(frozen=True)
class Received:
    event: Event
    raw: bytes  # the bytes it arrived as
    partition: int


@cache
def _reader(topic: str) -> TypeAdapter:
    """One JSON pass per message: the topic's event types as a union tagged by ``event_type``."""
    models = tuple(TOPIC_EVENTS[topic].values())
    if len(models) == 1:
        return TypeAdapter(models[0])
    return TypeAdapter(Annotated[Union[models], Field(discriminator="event_type")])  # noqa: UP007


def decode(message: Inbound) -> Received:
    """The contract event (pydantic ``ValidationError`` for anything else: the edge dead-letters it)."""
    event = _reader(message.topic).validate_json(message.value)
    if isinstance(event, InvoicePdfFetched):
        verified_content(event.data)
    return Received(event, message.value, message.partition)


async def on_changes(received: list[Received], deps: Deps) -> None:
    started = time.perf_counter()
    lanes: list[list[Received]] = [[] for _ in range(deps.lanes)]
    for item in received:
        lanes[item.partition % deps.lanes].append(item)
    pdfs = await fetch_pdfs(received, deps)
    results = await asyncio.gather(*(apply_lane(lane, deps, pdfs) for lane in lanes if lane), return_exceptions=True)
    for result in results:
        if isinstance(result, BaseException):
            raise result
    log.info("batch.applied", events=len(received), published=sum(results),
             tenants=len({r.event.tenant_id for r in received}),
             duration_ms=round((time.perf_counter() - started) * 1000, 1))


async def fetch_pdfs(received: list[Received], deps: Deps) -> dict[str, bytes]:
    """The bytes PDF events of version 2 refer to, by SHA-256, fetched before any transaction."""
    referenced = [r.event for r in received if isinstance(r.event, InvoicePdfFetchedV2)]
    if not referenced:
        return {}
    if deps.pdfs is None:
        raise Transient("no PDF source configured: PDFs by reference wait")
    return await deps.pdfs.fetch_all(referenced)


async def apply_lane(received: list[Received], deps: Deps, pdfs: dict[str, bytes] | None = None) -> int:
    """One transaction: inbox claims, state, outbox rows. Returns how many events it published."""
    try:
        async with deps.store.transaction() as store:
            published = await handlers.handle_batch([r.event for r in received], store,
                                                    {r.event.event_id: r.raw for r in received}, pdfs)
            await store.add_to_outbox([from_event(event) for event in published])
    except RETRYABLE as error:
        raise Transient(f"database: {type(error).__name__}: {error}") from error
    return len(published)
