"""Every random decision, drawn from one seeded generator: same seed and inputs, same run."""
from __future__ import annotations

import random
import uuid
from decimal import Decimal

from contracts.money import CENT, quantize

from platform_emulator.config import EmulatorConfig

CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
METHODS = (("ach", 50), ("card", 35), ("check", 10), ("other", 5))
REASONS = {
    "ach": ("ach_return_R01", "ach_return_R02", "ach_return_R03", "ach_return_R10"),
    "card": ("chargeback_fraudulent", "chargeback_product_not_received", "chargeback_duplicate"),
    "check": ("check_returned_nsf", "check_stop_payment"),
    "other": ("payment_reversed",),
}


class Choices:
    def __init__(self, config: EmulatorConfig):
        self.config = config
        self._rng = random.Random(config.seed)

    def event_id(self) -> str:
        return str(uuid.UUID(int=self._rng.getrandbits(128), version=4))

    def token(self, prefix: str, chars: int = 16) -> str:
        """``pay_01JDX8R6Q4…``: Crockford base32, 5 bits a character."""
        bits = self._rng.getrandbits(5 * chars)
        return prefix + "".join(CROCKFORD[(bits >> (5 * i)) & 31] for i in reversed(range(chars)))

    def payment_id(self) -> str:
        return self.token("pay_")

    def payout_id(self) -> str:
        return self.token("po_")

    def platform_invoice_id(self) -> str:
        return self.token("inv_")

    def platform_customer_id(self) -> str:
        return self.token("cus_", 10)

    def roll(self, ratio: float) -> bool:
        return ratio > 0 and self._rng.random() < ratio

    def pick(self, items: list):
        return items[self._rng.randrange(len(items))]

    def method(self) -> str:
        names, weights = zip(*METHODS, strict=True)
        return self._rng.choices(names, weights)[0]

    def reason(self, method: str) -> str:
        return self.pick(list(REASONS[method]))

    def amount(self, balance: Decimal) -> Decimal:
        """Full balance, a part of it, or (only when configured) more than it; always ≥ 0.01."""
        balance = quantize(balance)
        if balance < CENT:
            raise ValueError("nothing left to pay")
        if self.roll(self.config.overpayment_ratio):
            return balance + self.cents(CENT, max(balance / 4, Decimal("1.00")))
        if balance >= Decimal("0.02") and self.roll(self.config.partial_ratio):
            return self.cents(CENT, balance - CENT)
        return balance

    def cents(self, low: Decimal, high: Decimal) -> Decimal:
        """A uniform amount in [low, high], whole cents."""
        low_cents, high_cents = int(quantize(low) * 100), int(quantize(high) * 100)
        return Decimal(self._rng.randint(low_cents, max(low_cents, high_cents))).scaleb(-2)

    def platform_invoice_amount(self) -> Decimal:
        return self.cents(Decimal("25.00"), Decimal("2500.00"))
