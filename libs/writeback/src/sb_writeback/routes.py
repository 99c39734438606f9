"""HTTP both write-back services serve: where one unit of work (a payment, a payout) stands, the
newest rows and a "retry now" for the partner's dashboard; tenant-scoped like every /v1 route."""
from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from fastapi import APIRouter, Depends, Query

from sb_runtime.http import ApiError, current_deps, tenant_access
from sb_writeback.work import retryable

Read = Callable[[Any, str, str], Awaitable[Any]]  # (transaction, tenant_id, work id) -> row or None


def writeback_router(kind: str, listed: Callable[[dict], dict], read: Read, render: Callable[[Any], dict]) -> APIRouter:
    """A write-back service's routes for its ``kind`` of work: the dashboard's (``work_router``) and one row's
    status (``status_router``)."""
    routes = APIRouter()
    routes.include_router(work_router(kind, listed))
    routes.include_router(status_router(kind, read, render))
    return routes


def status_router(kind: str, read: Read, render: Callable[[Any], dict]) -> APIRouter:
    """``GET /v1/tenants/{tenant_id}/{kind}s/{id}``: ``render(read(...))``, or 404."""
    routes = APIRouter(prefix="/v1/tenants/{tenant_id}", dependencies=[Depends(tenant_access)])

    @routes.get(f"/{kind}s/{{work_id}}")
    async def status(tenant_id: str, work_id: str, deps: Any = Depends(current_deps)) -> dict:
        async with deps.store.transaction() as transaction:
            found = await read(transaction, tenant_id, work_id)
        if found is None:
            raise ApiError(404, "not_found", f"No such {kind}.")
        return render(found)

    return routes


def work_router(kind: str, render: Callable[[dict], dict]) -> APIRouter:
    """The dashboard's reads and its one action, for ``kind`` rows (``payment`` / ``payout``):

    - ``GET /v1/tenants/{tenant_id}/{kind}s?state=&limit=&offset=``: newest first, each ``render(row)``
      with ``retryable``;
    - ``GET /v1/tenants/{tenant_id}/{kind}s-per-hour``: rows done (written / deposited) per hour, last 24 h;
    - ``POST /v1/tenants/{tenant_id}/{kind}s/{id}/retry``: resume the row now where a retry can help, else 409.
    """
    routes = APIRouter(prefix="/v1/tenants/{tenant_id}", dependencies=[Depends(tenant_access)])

    @routes.get(f"/{kind}s")
    async def newest(tenant_id: str, state: str | None = None, limit: int = Query(50, ge=1, le=200),
                     offset: int = Query(0, ge=0, le=100_000), deps: Any = Depends(current_deps)) -> dict:
        async with deps.store.transaction() as transaction:
            rows = await transaction.newest(tenant_id, state, limit + 1, offset)
        items = [{**render(row), "retryable": retryable(row["state"], row["attempts"], row["last_error"])}
                 for row in rows[:limit]]
        return {"items": items, "more": len(rows) > limit}

    @routes.get(f"/{kind}s-per-hour")
    async def per_hour(tenant_id: str, deps: Any = Depends(current_deps)) -> dict:
        async with deps.store.transaction() as transaction:
            hours = await transaction.done_per_hour(tenant_id)
        return {"items": [{"hour": hour.isoformat(), "done": done} for hour, done in hours]}

    @routes.post(f"/{kind}s/{{work_id}}/retry", status_code=202)
    async def retry(tenant_id: str, work_id: str, deps: Any = Depends(current_deps)) -> dict:
        async with deps.store.transaction() as transaction:
            scheduled = await transaction.retry_now(tenant_id, work_id)
        if not scheduled:
            raise ApiError(409, "not_retryable", f"A retry cannot help this {kind} now (or there is no such {kind}).")
        deps.wakeup.set()
        return {f"{kind}_id": work_id, "scheduled": True}

    return routes
