"""HTTP: where a payment stands (for support and partners), tenant-scoped like every /v1 route."""
from __future__ import annotations

from collections.abc import Awaitable, Callable

from fastapi import FastAPI, Request

from contracts.money import format_money
from sb_runtime.http import ApiError, BearerAuth

from payment_reconciler.deps import Deps
from payment_reconciler.settings import Settings


def add_routes(app: FastAPI, deps: Callable[[], Awaitable[Deps]], settings: Settings) -> None:
    auth = BearerAuth(settings.admin_token.get_secret_value(), settings.token_signing_key.get_secret_value())

    @app.get("/v1/tenants/{tenant_id}/payments/{payment_id}")
    async def payment(tenant_id: str, payment_id: str, request: Request) -> dict:
        auth.tenant(request, tenant_id)
        async with (await deps()).store.transaction() as transaction:
            found = await transaction.get_payment(tenant_id, payment_id)
        if found is None:
            raise ApiError(404, "not_found", "No such payment.")
        money = {name: format_money(getattr(found, name)) if getattr(found, name) is not None else None
                 for name in ("amount", "surcharge", "applied_amount")}
        return {"payment_id": found.payment_id, "invoice_id": found.invoice_id, "state": found.state,
                "origin": found.origin, "currency": found.currency, **money,
                "netsuite_id": found.netsuite_record_id, "reason": found.reason, "attempts": found.attempts,
                "last_error": found.last_error, "failure_reason": found.failure_reason}
