"""Accounts-receivable arithmetic: applications of payments and credit memos to invoices, invoice
and payment statuses, deposits. Money is Decimal; the REAL columns only store the results."""

from decimal import Decimal

from netsuite_emulator.errors import user_error
from netsuite_emulator.rec_input import invalid_value
from netsuite_emulator.store import Store, money, to_real

INVOICE_STATUS = {"A": "Open", "B": "Paid In Full", "V": "Voided"}
PAYMENT_STATUS = {"A": "Unapproved", "B": "Not Deposited", "C": "Deposited"}
CREDIT_STATUS = {"A": "Open", "B": "Fully Applied", "V": "Voided"}
ZERO = Decimal("0.00")


def applied_to_invoice(store: Store, invoice_id: int) -> Decimal:
    rows = store.all("SELECT foreignamount FROM nexttransactionlinelink WHERE previousdoc = ?", (invoice_id,))
    return sum((money(row["foreignamount"]) for row in rows), ZERO)


def applied_by(store: Store, document_id: int) -> Decimal:
    rows = store.all("SELECT foreignamount FROM nexttransactionlinelink WHERE nextdoc = ?", (document_id,))
    return sum((money(row["foreignamount"]) for row in rows), ZERO)


def applications(store: Store, document_id: int) -> list:
    return store.all("SELECT * FROM nexttransactionlinelink WHERE nextdoc = ? ORDER BY rowid", (document_id,))


def refresh_invoice(store: Store, invoice_id: int, now: str) -> None:
    """Recomputes amountPaid / amountRemaining / status and bumps lastModifiedDate."""
    row = store.one('SELECT foreigntotal, voided FROM "transaction" WHERE id = ?', (invoice_id,))
    paid = applied_to_invoice(store, invoice_id)
    remaining = money(row["foreigntotal"]) - paid
    status = "V" if row["voided"] == "T" else ("A" if remaining > 0 else "B")
    store.conn.execute(
        'UPDATE "transaction" SET foreignamountpaid = ?, foreignamountunpaid = ?, status = ?, '
        "lastmodifieddate = ? WHERE id = ?", (to_real(paid), to_real(remaining), status, now, invoice_id))


def refresh_payment_amounts(store: Store, document_id: int, total: Decimal, now: str, credit: bool) -> None:
    used = applied_by(store, document_id)
    values = [to_real(used), to_real(total - used), now]
    if credit:
        status = "B" if total - used <= 0 else "A"
        store.conn.execute('UPDATE "transaction" SET foreignpaymentamountused = ?, foreignpaymentamountunused = ?, '
                           "lastmodifieddate = ?, status = ? WHERE id = ?", (*values, status, document_id))
    else:
        store.conn.execute('UPDATE "transaction" SET foreignpaymentamountused = ?, foreignpaymentamountunused = ?, '
                           "lastmodifieddate = ? WHERE id = ?", (*values, document_id))


def open_invoice(store: Store, invoice_id: int, customer_id: int, currency: int, field: str):
    row = store.one('SELECT * FROM "transaction" WHERE id = ? AND type = \'CustInvc\'', (invoice_id,))
    if row is None or row["entity"] != customer_id or row["voided"] == "T":
        raise invalid_value(invoice_id, field)
    if row["currency"] != currency:
        raise user_error("The currency of the transaction does not match the currency of the invoice.")
    return row


def check_amount(store: Store, invoice, amount: Decimal, already_applied_here: Decimal = ZERO) -> None:
    remaining = money(invoice["foreignamountunpaid"]) + already_applied_here
    if amount <= 0 or amount > remaining:
        raise user_error(f"The amount applied to {invoice['tranid']} must be greater than 0 and not more "
                         f"than the amount due ({remaining}).")


def link(store: Store, invoice, document_id: int, document_type: str, amount: Decimal, now: str,
         trandate: str) -> None:
    store.conn.execute(
        "INSERT INTO nexttransactionlinelink (previousdoc, previousline, previoustype, nextdoc, nextline, "
        "nexttype, linktype, foreignamount, linkdate, lastmodifieddate) VALUES (?, 0, 'CustInvc', ?, 0, ?, "
        "'Payment', ?, ?, ?)", (invoice["id"], document_id, document_type, to_real(amount), trandate, now))


def unlink_all(store: Store, document_id: int) -> list[int]:
    invoices = [row["previousdoc"] for row in applications(store, document_id)]
    store.conn.execute("DELETE FROM nexttransactionlinelink WHERE nextdoc = ?", (document_id,))
    return invoices


def deposit_of(store: Store, payment_id: int) -> int | None:
    return store.scalar("SELECT tl.\"transaction\" FROM transactionline tl WHERE tl.createdfrom = ? "
                        "AND tl.sublist = 'payment'", (payment_id,))


def depositable_payment(store: Store, payment_id, field: str):
    row = store.one('SELECT * FROM "transaction" WHERE id = ? AND type = \'CustPymt\'', (payment_id,))
    if row is None:
        raise invalid_value(payment_id, field)
    if row["undepfunds"] != "T" or row["status"] != "B":
        raise user_error(f"Transaction {row['tranid']} cannot be deposited: only payments in Undeposited "
                         "Funds that are not yet deposited can be added to a deposit.")
    return row


def set_payment_status(store: Store, payment_id: int, status: str, now: str) -> None:
    store.conn.execute('UPDATE "transaction" SET status = ?, lastmodifieddate = ? WHERE id = ?',
                       (status, now, payment_id))
