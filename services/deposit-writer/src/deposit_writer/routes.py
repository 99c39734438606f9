"""HTTP: where a payout stands (for support and partners), tenant-scoped like every /v1 route."""
from __future__ import annotations

from collections.abc import Awaitable, Callable

from fastapi import FastAPI, Request

from contracts.money import format_money
from sb_runtime.http import ApiError, BearerAuth

from deposit_writer.deps import Deps
from deposit_writer.settings import Settings


def add_routes(app: FastAPI, deps: Callable[[], Awaitable[Deps]], settings: Settings) -> None:
    auth = BearerAuth(settings.admin_token.get_secret_value(), settings.token_signing_key.get_secret_value())

    @app.get("/v1/tenants/{tenant_id}/payouts/{payout_id}")
    async def payout(tenant_id: str, payout_id: str, request: Request) -> dict:
        auth.tenant(request, tenant_id)
        async with (await deps()).store.transaction() as transaction:
            found = await transaction.payout_status(tenant_id, payout_id)
        if found is None:
            raise ApiError(404, "not_found", "No such payout.")
        money = {name: format_money(found[name]) if found[name] is not None else None
                 for name in ("net_amount", "difference")}
        return {**found, **money, "waiting_for": list(found["waiting_for"])}
