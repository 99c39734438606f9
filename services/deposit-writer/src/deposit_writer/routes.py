"""HTTP: where a payout stands (``GET /v1/tenants/{tenant_id}/payouts/{payout_id}``)."""
from __future__ import annotations

from fastapi import APIRouter

from contracts.money import format_money
from sb_writeback.routes import status_router


def router() -> APIRouter:
    return status_router("payout", lambda transaction, tenant_id, payout_id:
                         transaction.payout_status(tenant_id, payout_id), payout_json)


def payout_json(found: dict) -> dict:
    money = {name: format_money(found[name]) if found[name] is not None else None
             for name in ("net_amount", "difference")}
    return {**found, **money, "waiting_for": list(found["waiting_for"])}
