"""Transport edge: decode each message into its contract event, bind the log context, run the use case.

Poison (undecodable, contract-violating, an unknown currency, or amounts that break the payout's
own invariants) raises here and the shared edge dead-letters it with the reason. Consuming a payout
only records it; its deposit is posted in its tenant's lane (``sb_writeback.lanes``). A transient
failure while recording (the database) leaves the message unacked, so it comes again.
"""
from __future__ import annotations

from decimal import Decimal

from contracts.currencies import is_known_currency
from contracts.payouts import DepositPostedData
from sb_runtime.kafka import Inbound
from sb_runtime.logging import bind_unit_of_work, get_logger
from sb_writeback.subscribers import decode_bound

from deposit_writer import handlers
from deposit_writer.deps import Deps
from deposit_writer.errors import Permanent

log = get_logger(__name__)


def check_invariants(data: DepositPostedData) -> None:
    """The upstream contract's invariants that a payout can be checked against on its own."""
    if not is_known_currency(data.currency):
        raise Permanent(f"unknown currency {data.currency!r}")
    if data.fees and sum((fee.amount for fee in data.fees), Decimal("0.00")) != data.fee_amount:
        raise Permanent(f"fee_amount {data.fee_amount} is not the sum of fees[].amount")
    if data.gross_amount - data.fee_amount != data.net_amount:
        raise Permanent(f"net_amount {data.net_amount} is not gross_amount - fee_amount")


async def on_payout(message: Inbound, deps: Deps) -> None:
    event = decode_bound(message, deps)
    bind_unit_of_work(tenant_id=event.tenant_id, event_id=event.event_id, payout_id=event.data.payout_id)
    check_invariants(event.data)
    state = await handlers.deposit_posted(event, deps)
    log.info("payout.handled", state=state, payments=len(event.data.payment_ids))


async def on_payment_outcome(message: Inbound, deps: Deps) -> None:
    event = decode_bound(message, deps)
    await handlers.payment_outcome(event, deps)
    log.info("payment_map.updated", payment_id=event.data.payment_id, status=event.data.status)
