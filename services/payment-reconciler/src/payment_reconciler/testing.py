"""Fakes and event builders for payment-reconciler tests (fakes of our own boundary only): the store
(``FakePayments``) and NetSuite (``sb_writeback.fakes.FakeNetSuite``).

The setup events (``connection_changed``, ``account_setup_saved``) come from ``sb_writeback.testing``.
"""
from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from contracts.envelope import utc_now
from contracts.invoices import PlatformInvoiceUpdated
from contracts.payments import PaymentFailed, PaymentReceived
from sb_writeback.fakes import FakeDatabase, FakeNetSuite, FakeStore, FakeTransaction, WorkRow
from sb_writeback.lanes import InlineLanes
from sb_writeback.testing import envelope as _envelope
from sb_writeback.work import WorkState

from payment_reconciler.deps import Deps
from payment_reconciler.reconciling import InvoiceRef, Payment


class FakePayments(FakeTransaction):
    """``PaymentTransaction`` in memory, with the conditional transitions of ``store.PgPayments``."""

    def _row(self, tenant_id: str, payment_id: str, state: str | None = None) -> WorkRow | None:
        row = self.db.work.get((tenant_id, payment_id))
        return row if row is not None and (state is None or row.value.state == state) else None

    def _set(self, row: WorkRow, payment: Payment, next_attempt_at=None) -> Payment:
        row.value, row.updated_at, row.next_attempt_at = payment, self.db.now, next_attempt_at
        row.attempts, row.last_error = payment.attempts, payment.last_error
        return payment

    async def get_payment(self, tenant_id: str, payment_id: str, lock: bool = False) -> Payment | None:
        row = self._row(tenant_id, payment_id)
        return row.value if row else None

    async def insert_payment(self, payment: Payment) -> bool:
        if self._row(payment.tenant_id, payment.payment_id):
            return False
        self.db.work[(payment.tenant_id, payment.payment_id)] = WorkRow(payment, self.db.now, payment.attempts,
                                                                        payment.last_error)
        return True

    async def update_payment(self, payment: Payment, expected_state: str) -> bool:
        row = self._row(payment.tenant_id, payment.payment_id, expected_state)
        return row is not None and self._set(row, payment) is not None

    async def set_plan(self, tenant_id: str, payment_id: str, planned_apply: Decimal) -> None:
        row = self._row(tenant_id, payment_id, WorkState.PENDING)
        if row:
            self._set(row, replace(row.value, planned_apply=planned_apply), row.next_attempt_at)

    async def finish(self, tenant_id: str, payment_id: str, state: str, record_id: str | None,
                     applied_amount: Decimal | None) -> Payment | None:
        row = self._row(tenant_id, payment_id, WorkState.PENDING)
        if row is None:
            return None
        state = state if row.value.failed_at is None else WorkState.FAILED
        return self._set(row, replace(row.value, state=state, netsuite_record_id=record_id,
                                      applied_amount=applied_amount, last_error=None))

    async def set_aside(self, tenant_id: str, payment_id: str, state: str, reason: str, error: str | None,
                        retry_after_s: float | None) -> Payment | None:
        row = self._row(tenant_id, payment_id, WorkState.PENDING)
        if row is None:
            return None
        retry_at = None if retry_after_s is None else self.db.now + timedelta(seconds=retry_after_s)
        return self._set(row, replace(row.value, state=state, reason=reason, last_error=error), retry_at)

    async def recheck_after(self, tenant_id: str, payment_id: str, seconds: float) -> None:
        row = self._row(tenant_id, payment_id)
        if row is not None:
            row.next_attempt_at = self.db.now + timedelta(seconds=seconds)

    async def schedule_for_invoice(self, tenant_id: str, invoice_id: str) -> bool:
        rows = [row for (tenant, _), row in self.db.work.items()
                if tenant == tenant_id and row.value.invoice_id == invoice_id and row.value.state == WorkState.WAITING
                and row.value.netsuite_invoice_id is None]
        for row in rows:
            row.next_attempt_at = self.db.now
        return bool(rows)

    async def save_invoice(self, event: PlatformInvoiceUpdated) -> None:
        data, invoices = event.data, self.db.table("invoices")
        known = invoices.get((event.tenant_id, data.id))
        if known is None or known[1] < data.version:
            ref = InvoiceRef(data.id, data.netsuite_id, data.customer_netsuite_id, data.number, data.currency,
                             data.amount_remaining, data.archived, data.netsuite_id_scope)
            invoices[(event.tenant_id, data.id)] = (ref, data.version)

    async def get_invoice(self, tenant_id: str, invoice_id: str | None) -> InvoiceRef | None:
        known = self.db.table("invoices").get((tenant_id, invoice_id))
        return known[0] if known else None


def fake_deps(netsuite: FakeNetSuite | None = None, db: FakeDatabase | None = None) -> Deps:
    """Deps on an in-memory store and a fake NetSuite account (``deps.store.db``, ``deps.clients.records``);
    each tenant's lane writes at once, in the handler (``InlineLanes``)."""
    from payment_reconciler import writing
    from payment_reconciler.resumer import resume_payment

    return Deps(store=FakeStore(FakePayments, db), clients=netsuite or FakeNetSuite(),
                lanes=InlineLanes(writing.write_payment, resume_payment))


def payment_received(tenant_id: str, payment_id: str, invoice_id: str, amount: str, currency: str = "USD",
                     surcharge: str = "0.00", received_at: datetime | None = None,
                     method: str = "ach") -> PaymentReceived:
    return PaymentReceived(**_envelope("PaymentReceived", tenant_id), data={
        "payment_id": payment_id, "invoice_id": invoice_id, "customer_id": "cus_1", "amount": amount,
        "currency": currency, "method": method, "received_at": received_at or utc_now(), "surcharge": surcharge})


def payment_failed(tenant_id: str, payment_id: str, invoice_id: str, reason: str = "ach_return_R01") -> PaymentFailed:
    return PaymentFailed(**_envelope("PaymentFailed", tenant_id), data={
        "payment_id": payment_id, "invoice_id": invoice_id, "reason": reason, "failed_at": utc_now()})


def invoice_updated(tenant_id: str, invoice_id: str, netsuite_id: str, customer_netsuite_id: str, total: str,
                    remaining: str, currency: str = "USD", number: str = "INV1", version: int = 1,
                    archived: bool = False, id_scope: str | None = None) -> PlatformInvoiceUpdated:
    paid = Decimal(remaining) == 0
    return PlatformInvoiceUpdated(**_envelope("PlatformInvoiceUpdated", tenant_id), data={
        "id": invoice_id, "netsuite_id": netsuite_id, "number": number, "customer_id": f"cust-{customer_netsuite_id}",
        "customer_netsuite_id": customer_netsuite_id, "currency": currency, "issued_on": date(2026, 11, 1),
        "total": total, "amount_remaining": remaining,
        "status": "archived" if archived else ("paid" if paid else "open"),
        "paid_via_platform": False, "archived": archived, "lines": [], "version": version,
        "updated_at": datetime.now(UTC), "netsuite_id_scope": id_scope})
