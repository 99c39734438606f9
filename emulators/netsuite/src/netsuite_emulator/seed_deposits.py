"""Weekly bank deposits of the seeded payments that sat in Undeposited Funds."""

from netsuite_emulator.seed_invoices import InvoiceWriter

BANK, MERCHANT, UNDEPOSITED, FEES = 1, 2, 3, 10


def write(writer: InvoiceWriter) -> None:
    writer.flush()  # the payments must be in the table before their lastModifiedDate is bumped
    number = 1000
    for (week, subsidiary, currency), payments in sorted(writer.undeposited.items()):
        deposit_id = writer.take_id()
        number += 1
        ordinal = min(week * 7 + 6, writer.today)
        created = max(max(payment[3] for payment in payments), writer.stamp(ordinal))
        bank = MERCHANT if week % 2 else BANK
        gross = sum(payment[1] for payment in payments)
        fee = gross * 15 // 1000 if bank == MERCHANT else 0
        total = gross - fee
        writer.transactions.append((
            deposit_id, f"DEP{number}", f"DEP{number}", "Deposit", "deposit", "DEP", None, created[:10], None,
            created, created, None, currency, 1.0, total / 100, None, None, None, None,
            f"Deposit week {week}", None, None, "F", "T", subsidiary, bank, None, None))
        writer.lines.append((deposit_id, 0, 0, "T", "F", "main", None, None, None, total / 100, total / 100, None,
                             None, subsidiary, bank, None, created))
        for line, (payment_id, amount, entity, _) in enumerate(payments, start=1):
            writer.lines.append((deposit_id, line, line, "F", "F", "payment", None, None, None, amount / 100,
                                 amount / 100, None, entity, subsidiary, UNDEPOSITED, payment_id, created))
        if fee:
            line = len(payments) + 1
            writer.lines.append((deposit_id, line, line, "F", "F", "cashback", None, None, None, -fee / 100,
                                 -fee / 100, "Card processing fees", None, subsidiary, FEES, None, created))
        writer.store.conn.executemany('UPDATE "transaction" SET lastmodifieddate = ? WHERE id = ?',
                                      [(created, payment[0]) for payment in payments])
        writer.counts["deposits"] += 1
        if len(writer.transactions) >= 20_000:
            writer.flush()
    writer.store.set_counter("tranid:DEP", number)
