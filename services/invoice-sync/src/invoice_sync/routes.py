"""The read API of ``http-api.md`` (invoices, customers, PDFs): tenant-scoped, money as strings."""
from __future__ import annotations

import base64
import binascii
from typing import Literal

import asyncpg
from fastapi import APIRouter, Depends, Query
from fastapi.responses import Response

from contracts.money import format_money
from sb_runtime.http import ApiError, current_deps, tenant_access

from invoice_sync import queries
from invoice_sync.deps import Deps

Status = Literal["open", "partially_paid", "paid", "archived"]


def encode_cursor(last_id: str) -> str:
    return base64.urlsafe_b64encode(last_id.encode()).decode().rstrip("=")


def decode_cursor(cursor: str | None) -> str | None:
    if cursor is None:
        return None
    try:
        return base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
    except (binascii.Error, UnicodeDecodeError, ValueError) as error:
        raise ApiError(422, "invalid_cursor", "The cursor is not one this API returned.") from error


def invoice_json(row: asyncpg.Record) -> dict:
    return {
        "id": row["id"], "origin": "netsuite", "netsuite_id": row["netsuite_id"], "number": row["number"],
        "customer_id": row["customer_id"], "customer_netsuite_id": row["customer_netsuite_id"],
        "currency": row["currency"], "subsidiary": row["subsidiary"], "memo": row["memo"],
        "issued_on": row["issued_on"].isoformat(), "due_on": row["due_on"].isoformat() if row["due_on"] else None,
        "total": format_money(row["total"]), "amount_remaining": format_money(row["amount_remaining"]),
        "status": row["status"], "paid_via_platform": row["paid_via_platform"], "archived": row["archived"],
        "lines": row["lines"], "pdf": {"available": row["pdf_sha256"] is not None, "sha256": row["pdf_sha256"]},
        "payments": row["payments"], "version": row["version"], "updated_at": row["updated_at"].isoformat(),
    }


def customer_json(row: asyncpg.Record) -> dict:
    return {"id": row["id"], "netsuite_id": row["netsuite_id"], "name": row["name"], "email": row["email"],
            "currency": row["currency"], "archived": False, "version": row["version"],
            "updated_at": row["updated_at"].isoformat()}


def page(items: list[dict], limit: int) -> dict:
    next_cursor = encode_cursor(items[-1]["id"]) if len(items) == limit else None
    return {"items": items, "next_cursor": next_cursor}


async def one(deps: Deps, query, tenant_id: str, invoice_id: str, missing: str):
    """What ``query`` finds for the invoice, or 404 with ``missing``."""
    async with deps.pool.acquire() as connection:
        found = await query(connection, tenant_id, invoice_id)
    if found is None:
        raise ApiError(404, "not_found", missing)
    return found


def router() -> APIRouter:
    routes = APIRouter(prefix="/v1/tenants/{tenant_id}", dependencies=[Depends(tenant_access)])

    @routes.get("/invoices")
    async def list_invoices(tenant_id: str, netsuite_id: str | None = None, number: str | None = None,
                            status: Status | None = None, limit: int = Query(100, ge=1), cursor: str | None = None,
                            deps: Deps = Depends(current_deps)) -> dict:
        limit = min(limit, deps.page_size_max)
        async with deps.pool.acquire() as connection:
            rows = await queries.invoices(connection, tenant_id=tenant_id, netsuite_id=netsuite_id, number=number,
                                          status=status, after=decode_cursor(cursor), limit=limit)
        return page([invoice_json(row) for row in rows], limit)

    @routes.get("/invoice-search")
    async def search_invoices(tenant_id: str, status: Status | None = None, q: str | None = Query(None, max_length=100),
                              limit: int = Query(25, ge=1, le=100), offset: int = Query(0, ge=0, le=100_000),
                              deps: Deps = Depends(current_deps)) -> dict:
        """The dashboard's list: newest first, by status, searching number and customer name; offset paging."""
        async with deps.pool.acquire() as connection:
            rows = await queries.newest_invoices(connection, tenant_id, status, q, limit + 1, offset)
        items = [{**invoice_json(row), "customer_name": row["customer_name"]} for row in rows[:limit]]
        return {"items": items, "more": len(rows) > limit}

    @routes.get("/invoices/{invoice_id}")
    async def get_invoice(tenant_id: str, invoice_id: str, deps: Deps = Depends(current_deps)) -> dict:
        return invoice_json(await one(deps, queries.invoice, tenant_id, invoice_id, "No such invoice."))

    @routes.get("/invoices/{invoice_id}/pdf")
    async def get_invoice_pdf(tenant_id: str, invoice_id: str, deps: Deps = Depends(current_deps)) -> Response:
        content = await one(deps, queries.invoice_pdf, tenant_id, invoice_id, "No PDF for this invoice (yet).")
        return Response(content, media_type="application/pdf")

    @routes.get("/customers")
    async def list_customers(tenant_id: str, netsuite_id: str | None = None, limit: int = Query(100, ge=1),
                             cursor: str | None = None, deps: Deps = Depends(current_deps)) -> dict:
        limit = min(limit, deps.page_size_max)
        async with deps.pool.acquire() as connection:
            rows = await queries.customers(connection, tenant_id=tenant_id, netsuite_id=netsuite_id,
                                           after=decode_cursor(cursor), limit=limit)
        return page([customer_json(row) for row in rows], limit)

    return routes
