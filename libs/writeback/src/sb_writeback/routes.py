"""HTTP both write-back services serve: where one unit of work (a payment, a payout) stands, for
support and partners, tenant-scoped like every /v1 route."""
from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from fastapi import APIRouter, Depends

from sb_runtime.http import ApiError, current_deps, tenant_access

Read = Callable[[Any, str, str], Awaitable[Any]]  # (transaction, tenant_id, work id) -> row or None


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
