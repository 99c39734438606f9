"""SQL of the read API: tenant-scoped, keyset-paged by platform id."""
from __future__ import annotations

import asyncpg

# Rows of an account a tenant switched to are keyed ``<scope>@<id>`` (contracts.ids.record_key):
# the API shows the NetSuite id, and a NetSuite id filter finds it in any of the tenant's accounts.
SHOWN_NETSUITE_ID = "regexp_replace(netsuite_id, '^.*@', '') AS netsuite_id"
NETSUITE_ID_FILTER = "(netsuite_id = ${0} OR netsuite_id LIKE '%@' || ${0})"
INVOICE_COLUMNS = (f"id, {SHOWN_NETSUITE_ID}, number, customer_id, customer_netsuite_id, currency, subsidiary, memo, issued_on, "
                   "due_on, total, amount_remaining, status, paid_via_platform, archived, lines, pdf_sha256, "
                   "payments, version, updated_at")
INVOICE_FILTERS = {"netsuite_id": NETSUITE_ID_FILTER, "number": "number = ${}", "status": "status = ${}",
                   "after": "id > ${}"}
INVOICE = f"SELECT {INVOICE_COLUMNS} FROM invoices WHERE tenant_id = $1 AND id = $2"
PDF = """
SELECT b.content FROM invoices i JOIN pdf_blobs b ON b.sha256 = i.pdf_sha256
WHERE i.tenant_id = $1 AND i.id = $2
"""
# The dashboard's list: newest first, a status, a search over number and customer name, offset paging.
SEARCH = f"""
SELECT {INVOICE_COLUMNS}, customer_name FROM (
    SELECT i.*, c.name AS customer_name
    FROM invoices i LEFT JOIN customers c ON c.tenant_id = i.tenant_id AND c.id = i.customer_id
    WHERE i.tenant_id = $1 AND ($2::text IS NULL OR i.status = $2)
      AND ($3::text IS NULL OR i.number ILIKE $3 ESCAPE '\\' OR c.name ILIKE $3 ESCAPE '\\')
) AS found
ORDER BY issued_on DESC, updated_at DESC, id DESC LIMIT $4 OFFSET $5
"""
CUSTOMER_COLUMNS = f"id, {SHOWN_NETSUITE_ID}, name, email, currency, version, updated_at"
CUSTOMER_FILTERS = {"netsuite_id": NETSUITE_ID_FILTER, "after": "id > ${}"}


def _select(table: str, columns: str, filters: dict[str, str], values: dict[str, object]) -> tuple[str, list]:
    """A keyset page query; filter fragments are constants, values are parameters."""
    conditions, parameters = ["tenant_id = $1"], [values["tenant_id"]]
    for name, fragment in filters.items():
        if values.get(name) is not None:
            parameters.append(values[name])
            conditions.append(fragment.format(len(parameters)))
    parameters.append(values["limit"])
    sql = f"SELECT {columns} FROM {table} WHERE {' AND '.join(conditions)} ORDER BY id LIMIT ${len(parameters)}"
    return sql, parameters


async def invoices(connection: asyncpg.Connection, **values) -> list[asyncpg.Record]:
    sql, parameters = _select("invoices", INVOICE_COLUMNS, INVOICE_FILTERS, values)
    return await connection.fetch(sql, *parameters)


async def invoice(connection: asyncpg.Connection, tenant_id: str, invoice_id: str) -> asyncpg.Record | None:
    return await connection.fetchrow(INVOICE, tenant_id, invoice_id)


async def invoice_pdf(connection: asyncpg.Connection, tenant_id: str, invoice_id: str) -> bytes | None:
    return await connection.fetchval(PDF, tenant_id, invoice_id)


async def customers(connection: asyncpg.Connection, **values) -> list[asyncpg.Record]:
    sql, parameters = _select("customers", CUSTOMER_COLUMNS, CUSTOMER_FILTERS, values)
    return await connection.fetch(sql, *parameters)


def contains(text: str | None) -> str | None:
    """An ILIKE pattern finding ``text`` anywhere, its own wildcards taken literally."""
    if not text or not text.strip():
        return None
    escaped = text.strip().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


async def newest_invoices(connection: asyncpg.Connection, tenant_id: str, status: str | None, search: str | None,
                          limit: int, offset: int) -> list[asyncpg.Record]:
    return await connection.fetch(SEARCH, tenant_id, status, contains(search), limit, offset)
