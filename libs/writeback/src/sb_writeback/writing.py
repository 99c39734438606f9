"""The frame of every NetSuite write: one writer per work row in this process, only pending rows are
written, and trouble that a later attempt can get past is counted on the row and raised as
``NotWrittenYet`` (the message is not acked; the resumer retries with back-off). What is written,
and how a row is finished or set aside, is each service's own (``writing.py`` there).
"""
from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from netsuite_client import AuthenticationError, TransientNetSuiteError
from sb_runtime.errors import TransientError

from sb_writeback.access import CredentialsUnavailable
from sb_writeback.deps import WriteBackDeps
from sb_writeback.work import WorkState

CONNECTION_RECHECK_S = 60.0  # work waiting for a usable connection is looked at again this often
NOT_YET = (TransientNetSuiteError, CredentialsUnavailable, AuthenticationError)


class NotWrittenYet(TransientError):
    """The write did not happen this time; the row counts the attempt and is retried later."""


def not_connected_reason(error: Exception) -> str:
    return f"The NetSuite connection is not usable: {error}"


async def write_if_pending(deps: WriteBackDeps, tenant_id: str, work_id: str,
                           load: Callable[[Any], Awaitable[Any]], write: Callable[[Any], Awaitable[str]]) -> str:
    """``write(row)`` if the row ``load(transaction)`` finds is pending; returns the row's state afterwards."""
    work = deps.work
    async with deps.locks.hold((work.kind, tenant_id, work_id)):
        async with deps.store.transaction() as transaction:
            row = await load(transaction)
        if row is None or row.state != WorkState.PENDING:
            return row.state if row else "unknown"
        try:
            return await write(row)
        except NOT_YET as error:
            async with deps.store.transaction() as transaction:
                await transaction.record_failure(tenant_id, work_id, str(error))
            raise NotWrittenYet(f"{work.kind} {work_id} not written yet: {error}") from error
