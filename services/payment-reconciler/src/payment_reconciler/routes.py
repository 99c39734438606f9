"""HTTP: where a payment stands (``GET /v1/tenants/{tenant_id}/payments/{payment_id}``)."""
from __future__ import annotations

from fastapi import APIRouter

from contracts.money import format_money
from sb_writeback.routes import status_router

from payment_reconciler.reconciling import Payment


def router() -> APIRouter:
    return status_router("payment", lambda transaction, tenant_id, payment_id:
                         transaction.get_payment(tenant_id, payment_id), payment_json)


def payment_json(found: Payment) -> dict:
    money = {name: format_money(getattr(found, name)) if getattr(found, name) is not None else None
             for name in ("amount", "surcharge", "applied_amount")}
    return {"payment_id": found.payment_id, "invoice_id": found.invoice_id, "state": found.state,
            "origin": found.origin, "currency": found.currency, **money,
            "netsuite_id": found.netsuite_record_id, "reason": found.reason, "attempts": found.attempts,
            "last_error": found.last_error, "failure_reason": found.failure_reason}
