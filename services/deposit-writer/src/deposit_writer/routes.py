"""HTTP: where a payout stands (``GET /v1/tenants/{tenant_id}/payouts/{payout_id}``), the newest
payouts, deposits per hour and "retry now" (``sb_writeback.routes.work_router``)."""
from __future__ import annotations

from fastapi import APIRouter

from contracts.money import format_money
from sb_writeback.routes import writeback_router


def router() -> APIRouter:
    return writeback_router("payout", listed_json, lambda transaction, tenant_id, payout_id:
                            transaction.payout_status(tenant_id, payout_id), payout_json)


def listed_json(row: dict) -> dict:
    """A payout row as the dashboard lists it: amounts, fees as booked, its deposit or what it waits for."""
    money = {name: format_money(row[name]) if row[name] is not None else None
             for name in ("gross_amount", "fee_amount", "net_amount", "difference")}
    fees = [{"kind": fee.get("kind"), "amount": str(fee.get("amount")), "description": fee.get("description")}
            for fee in row["fees"] or []]
    return {"payout_id": row["payout_id"], "state": row["state"], "currency": row["currency"],
            "arrival_date": row["arrival_date"].isoformat(), **money, "fees": fees,
            "payment_ids": list(row["payment_ids"]), "waiting_for": list(row["waiting_for"]),
            "netsuite_id": row["netsuite_deposit_id"], "reason": row["reason"], "attempts": row["attempts"],
            "last_error": row["last_error"], "created_at": row["created_at"].isoformat(),
            "updated_at": row["updated_at"].isoformat()}


def payout_json(found: dict) -> dict:
    money = {name: format_money(found[name]) if found[name] is not None else None
             for name in ("net_amount", "difference")}
    return {**found, **money, "waiting_for": list(found["waiting_for"])}
