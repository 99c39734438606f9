"""The frame of every NetSuite write: one writer per work row in this process, only pending rows are
written, and trouble that a later attempt can get past is counted on the row and raised as
``NotWrittenYet`` (the tenant's lane backs off and tries it again; ``sb_writeback.lanes``); a row that cannot be
written now is set aside (``SetAside``). What is written and announced is each service's own (``writing.py``).
"""
from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from contracts.action_items import ActionItemData
from netsuite_client import AuthenticationError, TransientNetSuiteError
from sb_runtime.errors import TransientError
from sb_runtime.logging import get_logger

from sb_writeback.access import CredentialsUnavailable
from sb_writeback.deps import WriteBackDeps
from sb_writeback.work import WorkState

log = get_logger(__name__)
CONNECTION_RECHECK_S = 60.0  # work waiting for a usable connection is looked at again this often
NOT_YET = (TransientNetSuiteError, CredentialsUnavailable, AuthenticationError)


class NotWrittenYet(TransientError):
    """The write did not happen this time; the row counts the attempt and is retried later."""


def not_connected_reason(error: Exception) -> str:
    return f"The NetSuite connection is not usable: {error}"


@dataclass(frozen=True)
class PendingWriter:
    """Writes one kind of work row: ``load(transaction, tenant_id, work_id)`` finds it, ``write(deps, row)``
    writes it to NetSuite if it is pending. Called as ``writer(deps, tenant_id, work_id)``; returns the
    row's state afterwards."""

    load: Callable[[Any, str, str], Awaitable[Any]]
    write: Callable[[Any, Any], Awaitable[str]]

    async def __call__(self, deps: WriteBackDeps, tenant_id: str, work_id: str) -> str:
        work = deps.work
        async with deps.locks.hold((work.kind, tenant_id, work_id)):
            async with deps.store.transaction() as transaction:
                row = await self.load(transaction, tenant_id, work_id)
            if row is None or row.state != WorkState.PENDING:
                return row.state if row else "unknown"
            try:
                return await self.write(deps, row)
            except NOT_YET as error:
                async with deps.store.transaction() as transaction:
                    await transaction.record_failure(tenant_id, work_id, str(error))
                raise NotWrittenYet(f"{work.kind} {work_id} not written yet: {error}") from error


@dataclass(frozen=True)
class SetAside:
    """Moves one pending row aside without a write (waiting, action_needed, failed) and announces it,
    with a ``write_rejected`` item when the partner must act. The service says how: ``load`` and
    ``move`` (the conditional transition: the moved row, or None when the row is no longer pending),
    ``announce`` (the outcome events) and ``rejected`` (the action item)."""

    load: Callable[[Any, str, str], Awaitable[Any]]
    move: Callable[[Any, Any, str, str, str | None, float | None], Awaitable[Any]]
    announce: Callable[[Any, str, datetime, str], list]
    rejected: Callable[[Any, str, datetime], ActionItemData]

    async def __call__(self, deps: WriteBackDeps, row: Any, state: str, reason: str, error: str | None = None,
                       retry_after_s: float | None = None) -> str:
        at, work, work_id = deps.clock(), deps.work, getattr(row, deps.work.key)
        async with deps.store.transaction() as transaction:
            moved = await self.move(transaction, row, state, reason, error, retry_after_s)
            if moved is None:
                return (await self.load(transaction, row.tenant_id, work_id)).state
            events = self.announce(moved, state, at, reason)
            if state == WorkState.ACTION_NEEDED:
                events += await transaction.raise_item(row.tenant_id, self.rejected(moved, reason, at))
            await transaction.publish(events)
        log.info(f"{work.kind}.set_aside", **{work.key: work_id}, state=state, reason=reason)
        return state
