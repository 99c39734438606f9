"""SQL of payment-reconciler: the invoice map and the per-payment state rows, as one transaction's
methods (``PaymentTransaction``; the shared part is ``sb_writeback.store``)."""
from __future__ import annotations

from decimal import Decimal
from typing import Protocol

from contracts.invoices import PlatformInvoiceUpdated
from sb_writeback.store import PgTransaction, WriteBackTransaction
from sb_writeback.work import WorkState

from payment_reconciler.reconciling import InvoiceRef, Origin, Payment

_PAYMENT = """tenant_id, payment_id, state, invoice_id, customer_id, amount, surcharge, currency, method, received_at,
    origin, netsuite_invoice_id, netsuite_customer_id, invoice_number, planned_apply, applied_amount,
    netsuite_record_id, reason, failed_at, failure_reason, attempts, last_error"""
GET_PAYMENT = f"SELECT {_PAYMENT} FROM payments WHERE tenant_id = $1 AND payment_id = $2"
LOCK_PAYMENT = GET_PAYMENT + " FOR UPDATE"
INSERT_PAYMENT = """
INSERT INTO payments (tenant_id, payment_id, state, invoice_id, customer_id, amount, surcharge, currency, method,
                      received_at, origin, netsuite_invoice_id, netsuite_customer_id, invoice_number,
                      planned_apply, applied_amount, netsuite_record_id, reason, failed_at, failure_reason, attempts,
                      last_error)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22)
ON CONFLICT (tenant_id, payment_id) DO NOTHING RETURNING payment_id
"""
# Conditional on the state read before: a transition never overwrites one made concurrently.
UPDATE_PAYMENT = """
UPDATE payments SET state = $3, invoice_id = $4, customer_id = $5, amount = $6, surcharge = $7, currency = $8,
    method = $9, received_at = $10, origin = $11, netsuite_invoice_id = $12, netsuite_customer_id = $13,
    invoice_number = $14, planned_apply = $15, applied_amount = $16, netsuite_record_id = $17, reason = $18,
    failed_at = $19, failure_reason = $20, attempts = $21, last_error = $22, next_attempt_at = NULL,
    updated_at = now()
WHERE tenant_id = $1 AND payment_id = $2 AND state = $23
RETURNING payment_id
"""
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
RETURNING {_PAYMENT}
"""
SET_ASIDE = f"""
UPDATE payments SET state = $3, reason = $4, last_error = $5, updated_at = now(),
    next_attempt_at = now() + make_interval(secs => $6)
WHERE tenant_id = $1 AND payment_id = $2 AND state = 'pending'
RETURNING {_PAYMENT}
"""
# A payment waiting for its invoice is decided again after a bound (then it is an action item) ...
RECHECK_AFTER = """
UPDATE payments SET next_attempt_at = now() + make_interval(secs => $3) WHERE tenant_id = $1 AND payment_id = $2
"""
# ... or as soon as the invoice arrives.
SCHEDULE_FOR_INVOICE = """
UPDATE payments SET next_attempt_at = now()
WHERE tenant_id = $1 AND invoice_id = $2 AND state = 'waiting' AND netsuite_invoice_id IS NULL
RETURNING payment_id
"""
UPSERT_INVOICE = """
INSERT INTO invoices (tenant_id, invoice_id, netsuite_invoice_id, netsuite_customer_id, number, currency,
                      amount_remaining, archived, version, netsuite_id_scope)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
ON CONFLICT (tenant_id, invoice_id) DO UPDATE SET netsuite_invoice_id = EXCLUDED.netsuite_invoice_id,
    netsuite_id_scope = EXCLUDED.netsuite_id_scope,
    netsuite_customer_id = EXCLUDED.netsuite_customer_id, number = EXCLUDED.number, currency = EXCLUDED.currency,
    amount_remaining = EXCLUDED.amount_remaining, archived = EXCLUDED.archived, version = EXCLUDED.version
WHERE invoices.version < EXCLUDED.version
"""
GET_INVOICE = """
SELECT invoice_id, netsuite_invoice_id, netsuite_customer_id, number, currency, amount_remaining, archived,
       netsuite_id_scope AS id_scope
FROM invoices WHERE tenant_id = $1 AND invoice_id = $2
"""


class PaymentTransaction(WriteBackTransaction, Protocol):
    """What the use cases do to payments and the invoice map inside one transaction."""

    async def get_payment(self, tenant_id: str, payment_id: str, lock: bool = False) -> Payment | None: ...

    async def insert_payment(self, payment: Payment) -> bool: ...

    async def update_payment(self, payment: Payment, expected_state: str) -> bool:
        """Write ``payment`` if its row is still in ``expected_state``; False when it moved on."""

    async def set_plan(self, tenant_id: str, payment_id: str, planned_apply: Decimal) -> None: ...

    async def finish(self, tenant_id: str, payment_id: str, state: str, record_id: str | None,
                     applied_amount: Decimal | None) -> Payment | None:
        """pending -> ``state`` (or failed, if a PaymentFailed came meanwhile); None if no longer pending."""

    async def set_aside(self, tenant_id: str, payment_id: str, state: str, reason: str, error: str | None,
                        retry_after_s: float | None) -> Payment | None:
        """pending -> waiting / action_needed / failed without a write; ``retry_after_s`` None: on a setup change."""

    async def recheck_after(self, tenant_id: str, payment_id: str, seconds: float) -> None:
        """Decide the (waiting) payment again in ``seconds``."""

    async def schedule_for_invoice(self, tenant_id: str, invoice_id: str) -> bool:
        """Make the payments waiting for this (unknown until now) invoice due; True if there were any."""

    async def save_invoice(self, event: PlatformInvoiceUpdated) -> None: ...

    async def get_invoice(self, tenant_id: str, invoice_id: str | None) -> InvoiceRef | None: ...


def _payment(row) -> Payment | None:
    if row is None:
        return None
    origin = Origin(row["origin"]) if row["origin"] else None
    return Payment(**{**dict(row), "state": WorkState(row["state"]), "origin": origin})


def _columns(payment: Payment) -> tuple:
    p = payment
    return (p.tenant_id, p.payment_id, p.state, p.invoice_id, p.customer_id, p.amount, p.surcharge, p.currency,
            p.method, p.received_at, p.origin, p.netsuite_invoice_id, p.netsuite_customer_id, p.invoice_number,
            p.planned_apply, p.applied_amount, p.netsuite_record_id, p.reason, p.failed_at, p.failure_reason,
            p.attempts, p.last_error)


class PgPayments(PgTransaction):
    async def get_payment(self, tenant_id: str, payment_id: str, lock: bool = False) -> Payment | None:
        return _payment(await self.connection.fetchrow(LOCK_PAYMENT if lock else GET_PAYMENT, tenant_id, payment_id))

    async def insert_payment(self, payment: Payment) -> bool:
        return await self.connection.fetchval(INSERT_PAYMENT, *_columns(payment)) is not None

    async def update_payment(self, payment: Payment, expected_state: str) -> bool:
        return await self.connection.fetchval(UPDATE_PAYMENT, *_columns(payment), expected_state) is not None

    async def set_plan(self, tenant_id: str, payment_id: str, planned_apply: Decimal) -> None:
        await self.connection.execute(SET_PLAN, tenant_id, payment_id, planned_apply)

    async def finish(self, tenant_id: str, payment_id: str, state: str, record_id: str | None,
                     applied_amount: Decimal | None) -> Payment | None:
        return _payment(await self.connection.fetchrow(FINISH, tenant_id, payment_id, state, record_id,
                                                       applied_amount))

    async def set_aside(self, tenant_id: str, payment_id: str, state: str, reason: str, error: str | None,
                        retry_after_s: float | None) -> Payment | None:
        return _payment(await self.connection.fetchrow(SET_ASIDE, tenant_id, payment_id, state, reason, error,
                                                       retry_after_s))

    async def recheck_after(self, tenant_id: str, payment_id: str, seconds: float) -> None:
        await self.connection.execute(RECHECK_AFTER, tenant_id, payment_id, seconds)

    async def schedule_for_invoice(self, tenant_id: str, invoice_id: str) -> bool:
        return bool(await self.connection.fetch(SCHEDULE_FOR_INVOICE, tenant_id, invoice_id))

    async def save_invoice(self, event: PlatformInvoiceUpdated) -> None:
        data = event.data
        await self.connection.execute(UPSERT_INVOICE, event.tenant_id, data.id, data.netsuite_id,
                                      data.customer_netsuite_id, data.number, data.currency, data.amount_remaining,
                                      data.archived, data.version, data.netsuite_id_scope)

    async def get_invoice(self, tenant_id: str, invoice_id: str | None) -> InvoiceRef | None:
        row = await self.connection.fetchrow(GET_INVOICE, tenant_id, invoice_id)
        return InvoiceRef(**dict(row)) if row else None
