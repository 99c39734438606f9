"""HTTP: where a payout stands (for support and partners), tenant-scoped like every /v1 route."""
from __future__ import annotations

from fastapi import APIRouter, Depends

from contracts.money import format_money
from sb_runtime.http import ApiError, current_deps, tenant_access

from deposit_writer.deps import Deps


def router() -> APIRouter:
    routes = APIRouter(prefix="/v1/tenants/{tenant_id}", dependencies=[Depends(tenant_access)])

    @routes.get("/payouts/{payout_id}")
    async def payout(tenant_id: str, payout_id: str, deps: Deps = Depends(current_deps)) -> dict:
        async with deps.store.transaction() as transaction:
            found = await transaction.payout_status(tenant_id, payout_id)
        if found is None:
            raise ApiError(404, "not_found", "No such payout.")
        money = {name: format_money(found[name]) if found[name] is not None else None
                 for name in ("net_amount", "difference")}
        return {**found, **money, "waiting_for": list(found["waiting_for"])}

    return routes
