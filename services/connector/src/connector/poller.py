"""The producer loop: lease due tenants (least recently polled first), sync each, release.

Per tenant and lease: the incremental streams that are due, a batch of PDFs, then initial-sync
pages for a bounded slice of time. A stream that fails permanently is recorded as a sync_error
action item and the others go on; an expired or revoked refresh token puts the tenant in
``error`` ("reconnect NetSuite").
"""
from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import time

from netsuite_client import AuthenticationError, NetSuiteError, ReconnectRequired, TransientNetSuiteError

from connector import (
    clock, drift, incremental, initial_sync, leases, mapping, memory, pages, pdfs, store, streams, sync_store, tenants,
)
from connector import identity
from connector.deps import Deps
from connector.errors import LeaseLost, MappingError, NotConnected, QueryRefused, ReconnectNeeded, Transient
from connector.netsuite import NetSuiteReader, describe, oneworld
from connector.side_by_side import together
from connector.streams import Stream
from sb_runtime.logging import bind_unit_of_work, get_logger

log = get_logger(__name__)
RECORDABLE = (NetSuiteError, MappingError, QueryRefused, ValueError, KeyError)
TRIM_EVERY_S = 10.0
EXTEND_WITHIN_S = 2.0  # how long before its end a slice asks whether another tenant waits


class Scheduler:
    def __init__(self, deps: Deps):
        self.deps = deps
        self.running: dict[str, asyncio.Task] = {}

    async def run(self) -> None:
        settings = self.deps.settings
        try:
            memory.limit_arenas()
            trimmed = time.monotonic()
            while True:
                if time.monotonic() - trimmed > TRIM_EVERY_S:
                    memory.trim()
                    trimmed = time.monotonic()
                free = settings.max_concurrent_tenants - len(self.running)
                for tenant_id, failures in await leases.acquire(self.deps.pool, self.deps.instance_id,
                                                                 settings.lease_ttl_s, free):
                    task = asyncio.create_task(self._lease(tenant_id, failures), name=f"tenant-{tenant_id}")
                    self.running[tenant_id] = task
                    task.add_done_callback(lambda _, key=tenant_id: self.running.pop(key, None))
                await asyncio.sleep(settings.scheduler_tick_s)
        finally:
            for task in list(self.running.values()):
                task.cancel()
            for task in list(self.running.values()):
                with contextlib.suppress(asyncio.CancelledError, Exception):
                    await task
            await self._close()

    async def _close(self) -> None:
        """Free what ``deps.build_deps`` opened before the shell closes the pool."""
        budgets = self.deps.connections.budgets
        if budgets is not None:
            with contextlib.suppress(Exception):
                await budgets.close()
        with contextlib.suppress(Exception):
            await self.deps.http.aclose()

    async def _lease(self, tenant_id: str, failures: int) -> None:
        deps, settings = self.deps, self.deps.settings
        owner = deps.instance_id
        keeper = asyncio.create_task(self._keep_lease(tenant_id))
        next_in, failures_after = settings.poll_interval_s, 0
        deps.observer.poll_started(tenant_id, owner)
        try:
            bind_unit_of_work(tenant_id=tenant_id)
            next_in = await sync_tenant(deps, tenant_id)
        except LeaseLost:
            log.warning("tenant.lease_lost", tenant_id=tenant_id)
            return
        except asyncio.CancelledError:  # shutting down: hand the tenant over at once
            with contextlib.suppress(Exception):
                await leases.release(deps.pool, tenant_id, owner, 0.0, failures)
            raise
        except Exception as error:  # noqa: BLE001 - one tenant's failure must not stop the others
            failures_after = failures + 1
            next_in = min(settings.error_backoff_max_s, settings.poll_interval_s * 2 ** min(failures, 10))
            log.warning("tenant.sync_failed", tenant_id=tenant_id, error=f"{type(error).__name__}: {error}",
                        retry_in_s=next_in)
        finally:
            keeper.cancel()
            deps.observer.poll_finished(tenant_id, owner)
        with contextlib.suppress(Exception):
            await leases.release(deps.pool, tenant_id, owner, next_in, failures_after)

    async def _keep_lease(self, tenant_id: str) -> None:
        ttl = self.deps.settings.lease_ttl_s
        while True:
            await asyncio.sleep(ttl / 3)
            if not await leases.renew(self.deps.pool, tenant_id, self.deps.instance_id, ttl):
                return


async def sync_tenant(deps: Deps, tenant_id: str) -> float:
    """One lease's work; returns seconds until the tenant is due again."""
    settings = deps.settings
    async with deps.pool.acquire() as connection:
        tenant = await store.get_tenant(connection, tenant_id)
    if tenant is None or tenant.status not in ("pending", "connected") or not tenant.account_id:
        async with deps.pool.acquire() as connection:
            await leases.unschedule(connection, tenant_id)
        return settings.poll_interval_s
    client = deps.connections.client(tenant_id, tenant.account_id)
    reader = NetSuiteReader(client, settings.page_size, settings.pdf_script, settings.pdf_deploy)
    context = mapping.Context(tenant_id, tenant.timezone or settings.default_timezone, identity.id_scope(tenant))
    run = pages.Run(tenant_id, deps.instance_id, tenant.account_id, context, reader, deps.pool,
                    settings.lease_ttl_s)
    started = time.monotonic()
    try:
        run.streams = streams.for_account(await oneworld(deps.oneworld, tenant.account_id, reader))
        more = await _work(deps, run, tenant.status)
    except (ReconnectNeeded, ReconnectRequired, NotConnected) as error:
        await _needs_reconnect(deps, run, error)
        return settings.poll_interval_s
    async with deps.pool.acquire() as connection:
        await store.touch_sync(connection, tenant_id)
    log.info("tenant.synced", tenant_id=tenant_id, seconds=round(time.monotonic() - started, 3), more=more)
    return 0.0 if more else settings.poll_interval_s


async def _work(deps: Deps, run: pages.Run, status: str) -> bool:
    """Fresh changes (incremental polls, then due PDFs) and, while pending, a slice of the initial
    sync side by side with them: both draw on the tenant's budget, which bounds what is in flight.
    During the slice the streams that fall due are polled again, so changes stay fresh however
    long the slice runs."""
    settings = deps.settings
    async with deps.pool.acquire() as connection:
        state = await sync_store.initial_sync(connection, run.tenant_id)
    if status == "pending" and (state is None or state.account_id != run.account_id):
        await initial_sync.start(run, settings.recent_months, settings.overlap_s, settings.page_size)
    slots = deps.connections.connector_slots()

    async def fresh_changes() -> bool:
        await _poll_due_streams(deps, run)
        return await pdfs.fetch_due(run, settings.pdf_batch, slots, settings.pdf_max_backoff_s) >= settings.pdf_batch

    if status != "pending":
        more = await fresh_changes()
        if not more and settings.drift_pages_per_poll and await drift.may_sweep(run):
            await drift.step(run, settings.drift_sweep_interval_s, settings.drift_pages_per_poll,
                             drift.metrics(deps.registry))
        return more
    work_slice = initial_sync.Slice(settings.initial_sync_slice_s)
    finished = asyncio.Event()

    async def initial_slice() -> tuple[bool, list[str]]:
        try:
            return await _initial_slice(deps, run, work_slice, slots)
        finally:
            finished.set()

    more, (done, failed) = await together(_meanwhile(deps, run, work_slice, finished, fresh_changes),
                                          initial_slice())
    if done:
        async with deps.pool.acquire() as connection, connection.transaction():
            await leases.fence(connection, run.tenant_id, run.owner, run.lease_ttl_s)
            await tenants.change_status(connection, run.tenant_id, "connected")
    return more or (not done and not failed)  # a failing stream waits for the next poll, no tight retry


async def _meanwhile(deps: Deps, run: pages.Run, work_slice, finished: asyncio.Event, fresh_changes) -> bool:
    """While the slice runs: poll the streams that fall due, and keep the slice open while no
    other tenant waits for a turn (each slice's end drains the requests in flight)."""
    settings = deps.settings
    more = await fresh_changes()
    while not finished.is_set():
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(finished.wait(), settings.scheduler_tick_s)
        if finished.is_set():
            break
        await _poll_due_streams(deps, run)
        if work_slice.ending(EXTEND_WITHIN_S) and not await leases.others_waiting(deps.pool, run.tenant_id):
            work_slice.extend()
    return more


async def _initial_slice(deps: Deps, run: pages.Run, work_slice, slots: int) -> tuple[bool, list[str]]:
    """Initial-sync ranges for one slice, two readers more than the slots (each reader also maps
    and commits between its requests); returns (done, the streams that failed)."""
    failed: list[str] = []

    async def on_error(stream: Stream, error: Exception) -> bool:
        failed.append(stream.name)
        return await _stream_failed(run, stream, error)

    done = await initial_sync.advance(run, work_slice, deps.settings.pdf_initial_scope, on_error, slots + 2)
    return done, failed


async def _poll_due_streams(deps: Deps, run: pages.Run) -> None:
    """Poll the streams that are due, side by side; all of them, from an earlier point, when a
    resync was asked."""
    settings = deps.settings
    async with deps.pool.acquire() as connection:
        cursors = await sync_store.cursors(connection, run.tenant_id)
        failing = await store.open_sync_errors(connection, run.tenant_id,
                                               [pages.sync_error_id(stream.name) for stream in run.streams])
        resync = await leases.resync_from(connection, run.tenant_id)
    now = dt.datetime.now(dt.UTC)

    async def poll(stream: Stream) -> bool:
        high_water, polled_at = cursors[stream.name]
        interval = settings.customers_poll_interval_s if stream.name == "customers" else settings.poll_interval_s
        due = polled_at is None or (now - polled_at).total_seconds() >= interval * 0.9
        if not due and resync is None:
            return True
        start, pdfs_from = high_water, None
        if resync:  # re-read from `since`; PDFs only for versions newer than what was read before
            start, pdfs_from = min(high_water, resync), clock.shift(high_water, -settings.overlap_s)
        try:
            await incremental.poll(run, stream, start, settings.overlap_s, settings.page_size, pdfs_from)
        except Exception as error:  # noqa: BLE001 - recorded or re-raised by _stream_failed
            if not await _stream_failed(run, stream, error):
                raise
            return False
        if pages.sync_error_id(stream.name) in failing:
            async with run.pool.acquire() as connection, connection.transaction():
                await pages.record_errors(connection, run, stream.name, {}, [None])
        return True

    complete = await together(*(poll(stream) for stream in run.streams if stream.name in cursors))
    if resync is not None and all(complete):
        async with deps.pool.acquire() as connection:
            await leases.clear_resync(connection, run.tenant_id, resync)


async def _stream_failed(run: pages.Run, stream: Stream, error: Exception) -> bool:
    """Record a permanent stream failure as a sync_error item; False means: let it propagate."""
    if isinstance(error, (AuthenticationError, ReconnectNeeded, LeaseLost, Transient, TransientNetSuiteError)):
        return False
    if not isinstance(error, RECORDABLE):
        return False
    log.warning("stream.failed", stream=stream.name, error=describe(error))
    async with run.pool.acquire() as connection, connection.transaction():
        await pages.record_errors(connection, run, stream.name, {None: describe(error)}, [])
    return True


async def _needs_reconnect(deps: Deps, run: pages.Run, error: Exception) -> None:
    log.warning("tenant.reconnect_needed", tenant_id=run.tenant_id, error=str(error))
    async with deps.pool.acquire() as connection, connection.transaction():
        await tenants.change_status(connection, run.tenant_id, "error", tenants.RECONNECT)
        await leases.unschedule(connection, run.tenant_id)
