"""HTTP: where a payment stands (``GET /v1/tenants/{tenant_id}/payments/{payment_id}``), the newest
payments, payments written per hour and "retry now" (``sb_writeback.routes.work_router``)."""
from __future__ import annotations

from fastapi import APIRouter

from contracts.money import format_money
from sb_writeback.routes import writeback_router

from payment_reconciler.reconciling import Payment


def router() -> APIRouter:
    return writeback_router("payment", listed_json, lambda transaction, tenant_id, payment_id:
                            transaction.get_payment(tenant_id, payment_id), payment_json)


def listed_json(row: dict) -> dict:
    """A payment row as the dashboard lists it: what it is, where it stands and where it is in NetSuite."""
    money = {name: format_money(row[name]) if row[name] is not None else None
             for name in ("amount", "surcharge", "applied_amount")}
    at = {name: row[name].isoformat() if row[name] is not None else None
          for name in ("received_at", "created_at", "updated_at", "next_attempt_at")}
    return {"payment_id": row["payment_id"], "invoice_id": row["invoice_id"], "invoice_number": row["invoice_number"],
            "state": row["state"], "origin": row["origin"], "currency": row["currency"], "method": row["method"],
            **money, **at, "netsuite_id": row["netsuite_record_id"], "reason": row["reason"],
            "attempts": row["attempts"], "last_error": row["last_error"], "failure_reason": row["failure_reason"]}


def payment_json(found: Payment) -> dict:
    money = {name: format_money(getattr(found, name)) if getattr(found, name) is not None else None
             for name in ("amount", "surcharge", "applied_amount")}
    return {"payment_id": found.payment_id, "invoice_id": found.invoice_id, "state": found.state,
            "origin": found.origin, "currency": found.currency, **money,
            "netsuite_id": found.netsuite_record_id, "reason": found.reason, "attempts": found.attempts,
            "last_error": found.last_error, "failure_reason": found.failure_reason}
