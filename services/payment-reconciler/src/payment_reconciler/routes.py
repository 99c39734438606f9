"""HTTP: where a payment stands (for support and partners), tenant-scoped like every /v1 route."""
from __future__ import annotations

from fastapi import APIRouter, Depends

from contracts.money import format_money
from sb_runtime.http import ApiError, current_deps, tenant_access

from payment_reconciler.deps import Deps


def router() -> APIRouter:
    routes = APIRouter(prefix="/v1/tenants/{tenant_id}", dependencies=[Depends(tenant_access)])

    @routes.get("/payments/{payment_id}")
    async def payment(tenant_id: str, payment_id: str, deps: Deps = Depends(current_deps)) -> dict:
        async with deps.store.transaction() as transaction:
            found = await transaction.get_payment(tenant_id, payment_id)
        if found is None:
            raise ApiError(404, "not_found", "No such payment.")
        money = {name: format_money(getattr(found, name)) if getattr(found, name) is not None else None
                 for name in ("amount", "surcharge", "applied_amount")}
        return {"payment_id": found.payment_id, "invoice_id": found.invoice_id, "state": found.state,
                "origin": found.origin, "currency": found.currency, **money,
                "netsuite_id": found.netsuite_record_id, "reason": found.reason, "attempts": found.attempts,
                "last_error": found.last_error, "failure_reason": found.failure_reason}

    return routes
