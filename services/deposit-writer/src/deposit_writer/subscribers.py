"""Transport edge: decode each message into its contract event, bind the log context, run the use case.

Poison (undecodable, contract-violating, an unknown currency, or amounts that break the payout's
own invariants) raises here and the shared edge dead-letters it with the reason.
``Transient`` from a use case leaves the message unacked, so it comes again.
"""
from __future__ import annotations

from decimal import Decimal

from contracts.currencies import is_known_currency
from contracts.payouts import DepositPostedData
from contracts.registry import decode
from contracts.setup import AccountSetupSaved, ConnectionChanged
from sb_runtime.kafka import Inbound
from sb_runtime.logging import bind_unit_of_work, get_logger

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


class Subscribers:
    def __init__(self, deps: Deps) -> None:
        self.deps = deps

    def _decode(self, message: Inbound):
        event = decode(self.deps.topics.contract(message.topic), message.value)
        bind_unit_of_work(tenant_id=event.tenant_id, event_id=event.event_id, event_type=event.event_type)
        return event

    async def on_payout(self, message: Inbound) -> None:
        event = self._decode(message)
        bind_unit_of_work(tenant_id=event.tenant_id, event_id=event.event_id, payout_id=event.data.payout_id)
        check_invariants(event.data)
        state = await handlers.deposit_posted(event, self.deps)
        log.info("payout.handled", state=state, payments=len(event.data.payment_ids))

    async def on_payment_outcome(self, message: Inbound) -> None:
        event = self._decode(message)
        await handlers.payment_outcome(event, self.deps)
        log.info("payment_map.updated", payment_id=event.data.payment_id, status=event.data.status)

    async def on_setup(self, message: Inbound) -> None:
        event = self._decode(message)
        if isinstance(event, (ConnectionChanged, AccountSetupSaved)):
            await handlers.setup_changed(event, self.deps)
        log.info("setup.updated", event_type=event.event_type)
