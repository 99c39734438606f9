"""SQL of payment-reconciler: the invoice map and the per-payment state rows."""
from __future__ import annotations

from dataclasses import astuple, fields

import asyncpg

from contracts.invoices import PlatformInvoiceUpdated

from payment_reconciler.reconciling import InvoiceRef, Payment

PAYMENT_COLUMNS = [f.name for f in fields(Payment)]
_SELECT_PAYMENT = f"SELECT {', '.join(PAYMENT_COLUMNS)} FROM payments WHERE tenant_id = $1 AND payment_id = $2"
GET_PAYMENT = _SELECT_PAYMENT
LOCK_PAYMENT = _SELECT_PAYMENT + " FOR UPDATE"
INSERT_PAYMENT = (
    f"INSERT INTO payments ({', '.join(PAYMENT_COLUMNS)}) "
    f"VALUES ({', '.join(f'${i}' for i in range(1, len(PAYMENT_COLUMNS) + 1))}) "
    "ON CONFLICT (tenant_id, payment_id) DO NOTHING RETURNING payment_id"
)
_MUTABLE = PAYMENT_COLUMNS[2:]
# Conditional on the state read before: a transition never overwrites one made concurrently.
UPDATE_PAYMENT = (
    "UPDATE payments SET "
    + ", ".join(f"{name} = ${i}" for i, name in enumerate(_MUTABLE, start=3))
    + ", next_attempt_at = NULL, updated_at = now()"
    + f" WHERE tenant_id = $1 AND payment_id = $2 AND state = ${len(PAYMENT_COLUMNS) + 1}"
    " RETURNING payment_id"
)
_RETURNING = f"RETURNING {', '.join(PAYMENT_COLUMNS)}"
# The writer's transitions touch only their own columns and require the row to be pending, so
# they compose with a PaymentFailed recorded concurrently (which sets failed_at only).
SET_PLAN = """
UPDATE payments SET planned_apply = $3, updated_at = now()
WHERE tenant_id = $1 AND payment_id = $2 AND state = 'pending'
"""
FINISH = f"""
UPDATE payments SET state = CASE WHEN failed_at IS NULL THEN $3 ELSE 'failed' END,
    netsuite_record_id = $4, applied_amount = $5, last_error = NULL, next_attempt_at = NULL, updated_at = now()
WHERE tenant_id = $1 AND payment_id = $2 AND state = 'pending'
{_RETURNING}
"""
SET_ASIDE = f"""
UPDATE payments SET state = $3, reason = $4, last_error = $5, updated_at = now(),
    next_attempt_at = now() + make_interval(secs => $6)
WHERE tenant_id = $1 AND payment_id = $2 AND state = 'pending'
{_RETURNING}
"""
UPSERT_INVOICE = """
INSERT INTO invoices (tenant_id, invoice_id, netsuite_invoice_id, netsuite_customer_id, number, currency,
                      amount_remaining, archived, version)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
ON CONFLICT (tenant_id, invoice_id) DO UPDATE SET netsuite_invoice_id = EXCLUDED.netsuite_invoice_id,
    netsuite_customer_id = EXCLUDED.netsuite_customer_id, number = EXCLUDED.number, currency = EXCLUDED.currency,
    amount_remaining = EXCLUDED.amount_remaining, archived = EXCLUDED.archived, version = EXCLUDED.version
WHERE invoices.version < EXCLUDED.version
"""
GET_INVOICE = """
SELECT invoice_id, netsuite_invoice_id, netsuite_customer_id, number, currency, amount_remaining, archived
FROM invoices WHERE tenant_id = $1 AND invoice_id = $2
"""


def _payment(row) -> Payment | None:
    return Payment(**dict(row)) if row else None


async def get_payment(connection, tenant_id: str, payment_id: str, lock: bool = False) -> Payment | None:
    return _payment(await connection.fetchrow(LOCK_PAYMENT if lock else GET_PAYMENT, tenant_id, payment_id))


async def insert_payment(connection: asyncpg.Connection, payment: Payment) -> bool:
    return await connection.fetchval(INSERT_PAYMENT, *astuple(payment)) is not None


async def update_payment(connection, payment: Payment, expected_state: str) -> bool:
    """Write ``payment`` if its row is still in ``expected_state``; False when it moved on."""
    values = astuple(payment)
    return await connection.fetchval(UPDATE_PAYMENT, *values, expected_state) is not None


async def set_plan(connection, tenant_id: str, payment_id: str, planned_apply) -> None:
    await connection.execute(SET_PLAN, tenant_id, payment_id, planned_apply)


async def finish(connection, tenant_id: str, payment_id: str, state: str, record_id: str | None,
                 applied_amount) -> Payment | None:
    """pending -> ``state`` (or failed, if a PaymentFailed came meanwhile); None if no longer pending."""
    return _payment(await connection.fetchrow(FINISH, tenant_id, payment_id, state, record_id, applied_amount))


async def set_aside(connection, tenant_id: str, payment_id: str, state: str, reason: str,
                    error: str | None, retry_after_s: float | None) -> Payment | None:
    """pending -> waiting / action_needed / failed without a write; ``retry_after_s`` None = on a setup change only."""
    return _payment(await connection.fetchrow(SET_ASIDE, tenant_id, payment_id, state, reason, error,
                                              retry_after_s))


async def save_invoice(connection, event: PlatformInvoiceUpdated) -> None:
    data = event.data
    await connection.execute(UPSERT_INVOICE, event.tenant_id, data.id, data.netsuite_id, data.customer_netsuite_id,
                             data.number, data.currency, data.amount_remaining, data.archived, data.version)


async def get_invoice(connection, tenant_id: str, invoice_id: str) -> InvoiceRef | None:
    row = await connection.fetchrow(GET_INVOICE, tenant_id, invoice_id)
    return InvoiceRef(**dict(row)) if row else None
