"""Arrangements the deposit-writer tests share: what payment-reconciler would have written and said."""
from __future__ import annotations

from decimal import Decimal

from contracts import topics
from contracts.ids import netsuite_external_id
from sb_writeback.testing import account_setup_saved, connection_changed

from deposit_writer.testing import payment_outcome

from .conftest import TIMEZONE


async def connect(world) -> None:
    await world.send(connection_changed(world.tenant_id, world.account_id, TIMEZONE),
                     account_setup_saved(world.tenant_id, world.account_id))


async def written_payment(world, payment_id: str, amount: str, surcharge: str = "0.00", announce: bool = True):
    """A customer payment in Undeposited Funds as payment-reconciler writes it, and its outcome event."""
    invoice = await world.create_invoice(amount)
    netsuite_id = await world.netsuite.records.create("customerpayment", {
        "customer": {"id": "1"}, "payment": Decimal(amount), "undepFunds": True,
        "externalId": netsuite_external_id("pay", world.tenant_id, payment_id),
        "apply": {"items": [{"doc": {"id": invoice}, "apply": True, "amount": Decimal(amount)}]}})
    outcome = payment_outcome(world.tenant_id, payment_id, amount, surcharge=surcharge,
                              netsuite_payment_id=netsuite_id)
    if announce:
        await world.send(outcome)
    return netsuite_id, outcome


async def standalone_payment(world, payment_id: str, amount: str, surcharge: str = "0.00"):
    """A platform-invoice payment already in NetSuite as a stand-alone deposit (R14), and its outcome."""
    total = Decimal(amount) + Decimal(surcharge)
    netsuite_id = await world.netsuite.records.create("deposit", {
        "account": {"id": "1"}, "externalId": netsuite_external_id("dep", world.tenant_id, payment_id),
        "other": {"items": [{"account": {"id": "9"}, "amount": total}]}})
    outcome = payment_outcome(world.tenant_id, payment_id, amount, surcharge=surcharge, status="deposited",
                              origin="platform", netsuite_deposit_id=netsuite_id)
    await world.send(outcome)
    return netsuite_id


async def payout_outcome(world, payout_id: str, status: str, timeout_s: float = 30.0, containing: str = ""):
    """The payout's first outcome with ``status`` (whose message contains ``containing``)."""
    return await world.outcome(topics.PAYOUT_OUTCOMES, payout_id, status, timeout_s, containing)


async def action_items(world, kind: str, event_type: str = "ActionItemRaised") -> list:
    return [e for e in await world.events(topics.ACTION_ITEMS) if e.data.kind == kind and e.event_type == event_type]
