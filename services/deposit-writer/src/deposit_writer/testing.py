"""Fakes and event builders for deposit-writer tests: the store (``FakePayouts``) and NetSuite
(``sb_writeback.fakes.FakeNetSuite``). The setup events come from ``sb_writeback.testing``."""
from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal

from contracts.envelope import envelope_fields, utc_now
from contracts.payments import PaymentOutcomeRecorded
from contracts.payouts import DepositPosted
from sb_writeback.fakes import FakeDatabase, FakeNetSuite, FakeStore, FakeTransaction, WorkRow
from sb_writeback.lanes import InlineLanes
from sb_writeback.testing import envelope
from sb_writeback.work import WorkState

from deposit_writer.balancing import FeeLine, KnownPayment, Payout
from deposit_writer.deps import Deps


class FakePayouts(FakeTransaction):
    """``PayoutTransaction`` in memory, with the conditional transitions of ``store.PgPayouts``."""

    def _status(self, tenant_id: str, payout_id: str) -> dict:
        return self.db.table("payout_status").setdefault((tenant_id, payout_id), {
            "waiting_for": (), "difference": None, "netsuite_deposit_id": None, "reason": None})

    async def save_payment(self, event: PaymentOutcomeRecorded) -> None:
        data, payments = event.data, self.db.table("payments")
        known = payments.get((event.tenant_id, data.payment_id))
        payments[(event.tenant_id, data.payment_id)] = KnownPayment(
            data.payment_id, data.status, data.origin, data.amount, data.surcharge, data.currency,
            data.netsuite_payment_id or (known.netsuite_payment_id if known else None),
            data.netsuite_deposit_id or (known.netsuite_deposit_id if known else None),
            known.id_scope if known is not None and known.in_netsuite else data.netsuite_id_scope)

    async def known_payments(self, tenant_id: str, payment_ids) -> dict[str, KnownPayment]:
        payments = self.db.table("payments")
        return {pid: payments[(tenant_id, pid)] for pid in payment_ids if (tenant_id, pid) in payments}

    async def lock_tenant(self, tenant_id: str) -> None:
        return None  # one task at a time in unit tests

    async def insert_payout(self, event: DepositPosted) -> bool:
        data = event.data
        if (event.tenant_id, data.payout_id) in self.db.work:
            return False
        fees = tuple(FeeLine(fee.kind, fee.amount, fee.description) for fee in data.fees)
        payout = Payout(event.tenant_id, data.payout_id, WorkState.PENDING, data.currency, data.arrival_date,
                        data.gross_amount, data.fee_amount, data.net_amount, tuple(data.payment_ids), fees)
        self.db.work[(event.tenant_id, data.payout_id)] = WorkRow(payout, self.db.now)
        return True

    async def get_payout(self, tenant_id: str, payout_id: str, lock: bool = False) -> Payout | None:
        row = self.db.work.get((tenant_id, payout_id))
        return row.value if row else None

    async def waiting_for_payment(self, tenant_id: str, payment_id: str) -> list[str]:
        return [payout_id for (tenant, payout_id), row in self.db.work.items()
                if tenant == tenant_id and row.value.state == WorkState.WAITING
                and payment_id in self._status(tenant, payout_id)["waiting_for"]]

    async def transition(self, payout: Payout, state: str, *, waiting_for: tuple[str, ...] = (),
                         difference: Decimal | None = None, netsuite_deposit_id: str | None = None,
                         reason: str | None = None, error: str | None = None,
                         retry_after_s: float | None = None) -> bool:
        row = self.db.work.get((payout.tenant_id, payout.payout_id))
        if row is None or row.value.state != payout.state:
            return False
        row.value, row.last_error, row.updated_at = replace(row.value, state=state), error, self.db.now
        row.next_attempt_at = None if retry_after_s is None else self.db.now + timedelta(seconds=retry_after_s)
        self._status(payout.tenant_id, payout.payout_id).update(
            waiting_for=tuple(waiting_for), difference=difference, netsuite_deposit_id=netsuite_deposit_id,
            reason=reason)
        return True

    async def payout_status(self, tenant_id: str, payout_id: str) -> dict | None:
        row = self.db.work.get((tenant_id, payout_id))
        if row is None:
            return None
        payout = row.value
        return {"payout_id": payout_id, "state": payout.state, "currency": payout.currency,
                "net_amount": payout.net_amount, **self._status(tenant_id, payout_id), "attempts": row.attempts,
                "last_error": row.last_error}


def fake_deps(netsuite: FakeNetSuite | None = None, db: FakeDatabase | None = None) -> Deps:
    """Deps on an in-memory store and a fake NetSuite account (``deps.store.db``, ``deps.clients.records``);
    each tenant's lane posts at once, in the handler (``InlineLanes``)."""
    from deposit_writer import writing
    from deposit_writer.resumer import resume_payout

    return Deps(store=FakeStore(FakePayouts, db), clients=netsuite or FakeNetSuite(), lanes=InlineLanes(writing.post_deposit, resume_payout))


def payment_outcome(tenant_id: str, payment_id: str, amount: str, *, status: str = "written",
                    origin: str = "netsuite", surcharge: str = "0.00", currency: str = "USD",
                    netsuite_payment_id: str | None = None, netsuite_deposit_id: str | None = None,
                    invoice_id: str = "inv", netsuite_id_scope: str | None = None) -> PaymentOutcomeRecorded:
    """What payment-reconciler publishes (deterministic id per payment and status, as it does)."""
    return PaymentOutcomeRecorded(**envelope_fields("PaymentOutcomeRecorded", tenant_id, payment_id, status),
                                  data={"payment_id": payment_id, "invoice_id": invoice_id, "status": status,
                                        "origin": origin, "amount": amount, "surcharge": surcharge,
                                        "currency": currency, "netsuite_payment_id": netsuite_payment_id,
                                        "netsuite_deposit_id": netsuite_deposit_id, "recorded_at": utc_now(),
                                        "netsuite_id_scope": netsuite_id_scope})


def deposit_posted(tenant_id: str, payout_id: str, payment_ids: list[str], gross: str, fees: list[tuple[str, str]],
                   currency: str = "USD", arrival_date: str = "2026-11-27") -> DepositPosted:
    """A payout as the platform publishes it; ``fees`` are (kind, amount) pairs."""
    fee_total = sum((Decimal(amount) for _, amount in fees), Decimal("0.00"))
    return DepositPosted(**envelope("DepositPosted", tenant_id), data={
        "payout_id": payout_id, "currency": currency, "arrival_date": date.fromisoformat(arrival_date),
        "gross_amount": gross,
        "fee_amount": f"{fee_total:.2f}", "net_amount": f"{Decimal(gross) - fee_total:.2f}",
        "payment_ids": payment_ids, "fees": [{"kind": kind, "amount": amount} for kind, amount in fees]})
