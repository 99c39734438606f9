"""What the emulated platform does, and how often. Ratios are shares of payment-topic events."""
from __future__ import annotations

import random
from dataclasses import dataclass, replace
from decimal import Decimal


@dataclass(frozen=True)
class EmulatorConfig:
    seed: int | None = None  # None: a random seed, reported in the summary so a run can be replayed
    rate: float = 1.0  # payment-topic events per second in run()
    tenants: tuple[str, ...] = ()  # empty: every tenant seen on the invoice stream
    failure_ratio: float = 0.05  # share of payment events that are PaymentFailed for an earlier payment
    platform_invoice_ratio: float = 0.05  # share of payments for a platform-created invoice (R14)
    partial_ratio: float = 0.3  # share of invoice payments that pay only part of the balance
    overpayment_ratio: float = 0.0  # share paying more than the balance: off unless configured
    card_surcharge_rate: Decimal = Decimal("0.03")  # convenience fee on card payments; 0 disables
    chargeback_fee: Decimal = Decimal("15.00")  # charged in the next payout after a card chargeback
    payout_interval_s: float = 60.0  # "daily" payouts, compressed for demos
    payout_min_age_s: float = 0.0  # a payment joins a payout once it is this old
    max_payout_payments: int = 500
    arrival_delay_days: int = 1  # arrival_date = payout day + this
    platform_invoice_currency: str | None = None  # R14 currency; None: the tenant's usual currency
    topic_partitions: int = 6  # used only when the emulator has to create a topic
    resume: bool = False  # rebuild the ledger from platform.payments.v1 / payouts.v1 at start

    def __post_init__(self) -> None:
        if self.rate <= 0:
            raise ValueError("rate must be positive")
        for name in ("failure_ratio", "platform_invoice_ratio", "partial_ratio", "overpayment_ratio"):
            if not 0 <= getattr(self, name) <= 1:
                raise ValueError(f"{name} must be between 0 and 1")
        if self.payout_interval_s <= 0 or self.max_payout_payments < 1:
            raise ValueError("payout_interval_s and max_payout_payments must be positive")

    def with_seed(self) -> EmulatorConfig:
        """The same config with a concrete seed (drawn from the OS when none was given)."""
        if self.seed is not None:
            return self
        return replace(self, seed=random.SystemRandom().randrange(2**63))

    def wants(self, tenant_id: str) -> bool:
        return not self.tenants or tenant_id in self.tenants
