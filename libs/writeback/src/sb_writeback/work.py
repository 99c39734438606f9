"""The state machine both write-back services run on their work rows (a payment, a payout).

A work row is ``waiting`` (for account setup, a connection, or other work), ``pending`` (to be
written to NetSuite), done (``written`` / ``deposited``), ``action_needed`` or ``failed``. Each
failed attempt is counted on the row with its error and retried later with back-off; a setup
change schedules what waits for it. ``WorkTable`` names the table and its key column; the
queries below are the same SQL for both tables.
"""
from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class WorkState(StrEnum):
    WAITING = "waiting"
    PENDING = "pending"
    WRITTEN = "written"
    DEPOSITED = "deposited"
    ACTION_NEEDED = "action_needed"
    FAILED = "failed"


UNFINISHED = (WorkState.WAITING, WorkState.ACTION_NEEDED)  # decided again when resumed

RECORD_FAILURE = """
UPDATE {table} SET attempts = attempts + 1, last_error = $3, updated_at = now(),
    next_attempt_at = now() + make_interval(secs => least(300, 2 ^ least(attempts, 8)))
WHERE tenant_id = $1 AND {key} = $2
"""
# Waiting (and refused) rows wake up when scheduled: by a setup change, or a retry time. Pending rows only once
# stale (a crash left them, or their retries are due), so a consumer writing one now is not raced.
# $3: the rows already in this process's lanes ("tenant/id"), left out so others are reached.
DUE = """
SELECT tenant_id, {key} FROM {table}
WHERE ((state IN ('waiting', 'action_needed') AND next_attempt_at <= now())
   OR (state = 'pending' AND updated_at < now() - make_interval(secs => $1)
       AND (next_attempt_at IS NULL OR next_attempt_at <= now())))
  AND NOT (tenant_id || '/' || {key} = ANY($3::text[]))
ORDER BY updated_at LIMIT $2
"""
# A setup change may unblock waiting rows and those NetSuite refused (e.g. a wrong account).
SCHEDULE_TENANT = """
UPDATE {table} SET next_attempt_at = now()
WHERE tenant_id = $1 AND (state = 'waiting' OR (state = 'action_needed' AND last_error IS NOT NULL))
"""
# The partner's "retry now": where a retry can help (blocked, refused by NetSuite, or failing and backing off).
RETRY_NOW = """
UPDATE {table} SET next_attempt_at = now()
WHERE tenant_id = $1 AND {key} = $2
  AND (state = 'waiting' OR (state = 'action_needed' AND last_error IS NOT NULL) OR (state = 'pending' AND attempts > 0))
RETURNING {key}
"""
# The dashboard's reads: newest first, optionally one state; and what was done per hour over the last day.
LIST = """
SELECT * FROM {table} WHERE tenant_id = $1 AND ($2::text IS NULL OR state = $2)
ORDER BY created_at DESC, {key} DESC LIMIT $3 OFFSET $4
"""
DONE_PER_HOUR = """
SELECT date_trunc('hour', updated_at) AS hour, count(*) AS done FROM {table}
WHERE tenant_id = $1 AND state IN ('written', 'deposited') AND updated_at >= now() - interval '24 hours'
GROUP BY 1 ORDER BY 1
"""


def retryable(state: str, attempts: int, last_error: str | None) -> bool:
    """Whether "retry now" can help a row (the same rule as ``RETRY_NOW``)."""
    return (state == WorkState.WAITING or (state == WorkState.ACTION_NEEDED and last_error is not None)
            or (state == WorkState.PENDING and attempts > 0))


@dataclass(frozen=True)
class WorkTable:
    """One service's work rows: ``WorkTable("payment", "payments")`` keys rows on ``payment_id``."""

    kind: str
    table: str

    @property
    def key(self) -> str:
        return f"{self.kind}_id"

    def sql(self, template: str) -> str:
        return template.format(table=self.table, key=self.key)

    async def record_failure(self, connection, tenant_id: str, work_id: str, error: str) -> None:
        await connection.execute(self.sql(RECORD_FAILURE), tenant_id, work_id, error[:1000])

    async def due(self, connection, stale_after_s: float, limit: int,
                  busy: list[tuple[str, str]] = ()) -> list[tuple[str, str]]:
        rows = await connection.fetch(self.sql(DUE), stale_after_s, limit, [f"{t}/{w}" for t, w in busy])
        return [(row["tenant_id"], row[self.key]) for row in rows]

    async def schedule_waiting(self, connection, tenant_id: str) -> None:
        await connection.execute(self.sql(SCHEDULE_TENANT), tenant_id)

    async def retry_now(self, connection, tenant_id: str, work_id: str) -> bool:
        return await connection.fetchval(self.sql(RETRY_NOW), tenant_id, work_id) is not None

    async def newest(self, connection, tenant_id: str, state: str | None, limit: int, offset: int) -> list[dict]:
        return [dict(row) for row in await connection.fetch(self.sql(LIST), tenant_id, state, limit, offset)]

    async def done_per_hour(self, connection, tenant_id: str) -> list[tuple]:
        return [(row["hour"], row["done"]) for row in await connection.fetch(self.sql(DONE_PER_HOUR), tenant_id)]
