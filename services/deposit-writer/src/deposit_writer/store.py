"""SQL of deposit-writer: the payment map and the per-payout state rows, as one transaction's methods
(``PayoutTransaction``; the shared part is ``sb_writeback.store``)."""
from __future__ import annotations

from decimal import Decimal
from typing import Protocol

from contracts.payments import PaymentOutcomeRecorded
from contracts.payouts import DepositPosted
from sb_writeback import setup
from sb_writeback.store import PgTransaction, WriteBackTransaction
from sb_writeback.work import WorkState

from deposit_writer.balancing import FeeLine, KnownPayment, Payout

# Outcomes of one payment arrive in order; a later one never erases the NetSuite ids of an earlier,
# and the scope is the one of the outcome that first brought them (the write's).
UPSERT_PAYMENT = """
INSERT INTO payments (tenant_id, payment_id, status, origin, amount, surcharge, currency, netsuite_payment_id,
                      netsuite_deposit_id, netsuite_id_scope)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
ON CONFLICT (tenant_id, payment_id) DO UPDATE SET status = EXCLUDED.status, origin = EXCLUDED.origin,
    netsuite_id_scope = CASE WHEN payments.netsuite_payment_id IS NULL AND payments.netsuite_deposit_id IS NULL
                             THEN EXCLUDED.netsuite_id_scope ELSE payments.netsuite_id_scope END,
    amount = EXCLUDED.amount, surcharge = EXCLUDED.surcharge, currency = EXCLUDED.currency,
    netsuite_payment_id = COALESCE(EXCLUDED.netsuite_payment_id, payments.netsuite_payment_id),
    netsuite_deposit_id = COALESCE(EXCLUDED.netsuite_deposit_id, payments.netsuite_deposit_id)
"""
KNOWN_PAYMENTS = """
SELECT payment_id, status, origin, amount, surcharge, currency, netsuite_payment_id, netsuite_deposit_id,
       netsuite_id_scope AS id_scope
FROM payments WHERE tenant_id = $1 AND payment_id = ANY($2::text[])
"""
# Payout decisions and payment arrivals of a tenant are serialised, so a payout deciding to wait
# and the payment it waits for can never miss each other.
LOCK_TENANT = "SELECT pg_advisory_xact_lock(hashtext('sb-payouts:' || $1))"
INSERT_PAYOUT = """
INSERT INTO payouts (tenant_id, payout_id, state, currency, arrival_date, gross_amount, fee_amount, net_amount,
                     payment_ids, fees)
VALUES ($1, $2, 'pending', $3, $4, $5, $6, $7, $8, $9::jsonb)
ON CONFLICT (tenant_id, payout_id) DO NOTHING RETURNING payout_id
"""
_PAYOUT_COLUMNS = ("tenant_id, payout_id, state, currency, arrival_date, gross_amount, fee_amount, net_amount, "
                   "payment_ids, fees")
GET_PAYOUT = f"SELECT {_PAYOUT_COLUMNS} FROM payouts WHERE tenant_id = $1 AND payout_id = $2"
LOCK_PAYOUT = GET_PAYOUT + " FOR UPDATE"
WAITING_FOR_PAYMENT = """
SELECT payout_id FROM payouts WHERE tenant_id = $1 AND state = 'waiting' AND waiting_for @> ARRAY[$2::text]
"""
# Every transition is conditional on the state it was decided from.
TRANSITION = """
UPDATE payouts SET state = $4, waiting_for = $5, difference = $6, netsuite_deposit_id = $7, reason = $8,
    last_error = $9, next_attempt_at = now() + make_interval(secs => $10), updated_at = now()
WHERE tenant_id = $1 AND payout_id = $2 AND state = $3
RETURNING payout_id
"""
GET_STATUS = """
SELECT payout_id, state, currency, net_amount, waiting_for, difference, netsuite_deposit_id, reason, attempts,
       last_error
FROM payouts WHERE tenant_id = $1 AND payout_id = $2
"""


class PayoutTransaction(WriteBackTransaction, Protocol):
    """What the use cases do to payouts and the payment map inside one transaction."""

    async def save_payment(self, event: PaymentOutcomeRecorded) -> None: ...

    async def known_payments(self, tenant_id: str, payment_ids) -> dict[str, KnownPayment]: ...

    async def lock_tenant(self, tenant_id: str) -> None:
        """Take the tenant's setup lock (shared) and then its payouts lock: always in this order."""

    async def insert_payout(self, event: DepositPosted) -> bool: ...

    async def get_payout(self, tenant_id: str, payout_id: str, lock: bool = False) -> Payout | None: ...

    async def waiting_for_payment(self, tenant_id: str, payment_id: str) -> list[str]: ...

    async def transition(self, payout: Payout, state: str, *, waiting_for: tuple[str, ...] = (),
                         difference: Decimal | None = None, netsuite_deposit_id: str | None = None,
                         reason: str | None = None, error: str | None = None,
                         retry_after_s: float | None = None) -> bool:
        """payout.state -> ``state``; False when the row has moved on meanwhile."""

    async def payout_status(self, tenant_id: str, payout_id: str) -> dict | None: ...


def _payout(row) -> Payout | None:
    if row is None:
        return None
    fees = tuple(FeeLine(f["kind"], Decimal(f["amount"]), f.get("description")) for f in row["fees"])
    return Payout(**{**dict(row), "state": WorkState(row["state"]), "payment_ids": tuple(row["payment_ids"]),
                     "fees": fees})


class PgPayouts(PgTransaction):
    async def save_payment(self, event: PaymentOutcomeRecorded) -> None:
        data = event.data
        await self.connection.execute(UPSERT_PAYMENT, event.tenant_id, data.payment_id, data.status, data.origin,
                                      data.amount, data.surcharge, data.currency, data.netsuite_payment_id,
                                      data.netsuite_deposit_id, data.netsuite_id_scope)

    async def known_payments(self, tenant_id: str, payment_ids) -> dict[str, KnownPayment]:
        rows = await self.connection.fetch(KNOWN_PAYMENTS, tenant_id, list(payment_ids))
        return {row["payment_id"]: KnownPayment(**dict(row)) for row in rows}

    async def lock_tenant(self, tenant_id: str) -> None:
        await self.connection.execute(setup.LOCK_SHARED, tenant_id)
        await self.connection.execute(LOCK_TENANT, tenant_id)

    async def insert_payout(self, event: DepositPosted) -> bool:
        data = event.data
        fees = [{"kind": f.kind, "amount": str(f.amount), "description": f.description} for f in data.fees]
        return await self.connection.fetchval(INSERT_PAYOUT, event.tenant_id, data.payout_id, data.currency,
                                              data.arrival_date, data.gross_amount, data.fee_amount, data.net_amount,
                                              list(data.payment_ids), fees) is not None

    async def get_payout(self, tenant_id: str, payout_id: str, lock: bool = False) -> Payout | None:
        return _payout(await self.connection.fetchrow(LOCK_PAYOUT if lock else GET_PAYOUT, tenant_id, payout_id))

    async def waiting_for_payment(self, tenant_id: str, payment_id: str) -> list[str]:
        rows = await self.connection.fetch(WAITING_FOR_PAYMENT, tenant_id, payment_id)
        return [row["payout_id"] for row in rows]

    async def transition(self, payout: Payout, state: str, *, waiting_for: tuple[str, ...] = (),
                         difference: Decimal | None = None, netsuite_deposit_id: str | None = None,
                         reason: str | None = None, error: str | None = None,
                         retry_after_s: float | None = None) -> bool:
        return await self.connection.fetchval(TRANSITION, payout.tenant_id, payout.payout_id, payout.state, state,
                                              list(waiting_for), difference, netsuite_deposit_id, reason, error,
                                              retry_after_s) is not None

    async def payout_status(self, tenant_id: str, payout_id: str) -> dict | None:
        row = await self.connection.fetchrow(GET_STATUS, tenant_id, payout_id)
        return dict(row) if row else None
