"""Counts and totals of what the emulator published, per currency."""
from __future__ import annotations

from decimal import Decimal

from contracts.money import format_money

from platform_emulator.ledger import Ledger

ZERO = Decimal("0.00")
KEYS = ("received", "surcharges", "failed", "paid_out_gross", "fees", "paid_out_net", "awaiting_payout")


def summarize(ledger: Ledger, seed: int | None, invoices_known: int, known_invoice_ids: set[tuple[str, str]]) -> dict:
    totals: dict[str, dict[str, Decimal]] = {}

    def add(currency: str, key: str, amount: Decimal) -> None:
        totals.setdefault(currency, dict.fromkeys(KEYS, ZERO))[key] += amount

    platform_invoice_payments = 0
    for payment in ledger.payments.values():
        add(payment.currency, "received", payment.amount)
        add(payment.currency, "surcharges", payment.surcharge)
        if payment.failed:
            add(payment.currency, "failed", payment.amount)
        elif payment.payout_id is None:
            add(payment.currency, "awaiting_payout", payment.gross)
        if (payment.tenant_id, payment.invoice_id) not in known_invoice_ids:
            platform_invoice_payments += 1
    for payout in ledger.payouts:
        add(payout.data.currency, "paid_out_gross", payout.data.gross_amount)
        add(payout.data.currency, "fees", payout.data.fee_amount)
        add(payout.data.currency, "paid_out_net", payout.data.net_amount)
    return {
        "seed": seed,
        "invoices_known": invoices_known,
        "tenants": sorted({tenant for tenant, _ in ledger.payments}),
        "counts": {"PaymentReceived": len(ledger.payments), "PaymentFailed": len(ledger.failures),
                   "DepositPosted": len(ledger.payouts), "platform_invoice_payments": platform_invoice_payments},
        "totals": {currency: {key: format_money(value) for key, value in sums.items()}
                   for currency, sums in sorted(totals.items())},
    }


def as_text(summary: dict) -> str:
    counts = summary["counts"]
    lines = [f"platform emulator (seed {summary['seed']}): {counts['PaymentReceived']} payments "
             f"({counts['platform_invoice_payments']} for platform invoices), {counts['PaymentFailed']} failed, "
             f"{counts['DepositPosted']} payouts; {summary['invoices_known']} invoices known"]
    for currency, sums in summary["totals"].items():
        lines.append(f"  {currency}: " + ", ".join(f"{key} {value}" for key, value in sums.items()))
    return "\n".join(lines)
