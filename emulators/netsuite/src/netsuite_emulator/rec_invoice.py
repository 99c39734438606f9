"""The invoice record: item sublist, totals from lines, amountPaid/amountRemaining, status."""

from netsuite_emulator import ar, item_lines, tx_header, tx_write
from netsuite_emulator.errors import user_error
from netsuite_emulator.rec_input import Body
from netsuite_emulator.rec_shape import Ctx, compact, self_links, status, sublist
from netsuite_emulator.store import money, to_real

RECORD_TYPE = "invoice"
SIGN = -1
PATCHABLE = {"memo": "memo", "dueDate": "duedate", "tranDate": "trandate", "otherRefNum": "otherrefnum",
             "externalId": "externalid"}


def get(ctx: Ctx, invoice_id: int, expand: bool, href: str) -> dict:
    row = tx_write.load(ctx.store, invoice_id, RECORD_TYPE)
    lines = item_lines.stored(ctx.store, invoice_id, SIGN)
    total = money(row["foreigntotal"])
    body = {
        "links": self_links(href), **tx_header.read(ctx, row), "dueDate": row["duedate"],
        "otherRefNum": row["otherrefnum"], "subtotal": float(total), "total": float(total),
        "amountPaid": float(money(row["foreignamountpaid"])),
        "amountRemaining": float(money(row["foreignamountunpaid"])),
        "amountRemainingTotalBox": float(money(row["foreignamountunpaid"])),
        "status": status(ar.INVOICE_STATUS[row["status"]]),
        "item": sublist(ctx, RECORD_TYPE, invoice_id, "item", item_lines.as_json(ctx, lines), expand),
    }
    return compact(body)


def create(ctx: Ctx, body: Body) -> int:
    store = ctx.store
    customer = tx_header.customer_of(ctx, body, "entity", "Customer")
    lines = item_lines.parse(store, body.sublist("item") or [])
    header = tx_header.new_header(ctx, body, customer)
    header["duedate"] = tx_header.due_date(body, header["trandate"])
    tx_write.check_external_id(store, "transaction", RECORD_TYPE, header["externalid"])
    total = item_lines.total(lines)
    values = {**header, "tranid": body.text("tranId") or tx_write.next_tranid(store, "INV"),
              "type": "CustInvc", "recordtype": RECORD_TYPE, "abbrevtype": "INV",
              "status": "A" if total > 0 else "B", "foreigntotal": to_real(total), "foreignamountpaid": 0.0,
              "foreignamountunpaid": to_real(total)}
    return tx_write.insert_transaction(store, values, item_lines.rows(lines, SIGN, header, ctx.now))


def update(ctx: Ctx, invoice_id: int, body: Body, replace: set[str]) -> None:
    store = ctx.store
    row = tx_write.load(store, invoice_id, RECORD_TYPE)
    if row["voided"] == "T":
        raise user_error("You cannot edit a voided transaction.")
    changes = tx_header.scalar_updates(body, PATCHABLE)
    tx_write.check_external_id(store, "transaction", RECORD_TYPE, changes.get("externalid"), invoice_id)
    tx_write.update(store, invoice_id, changes)
    if body.has("item") or "item" in replace:
        existing = item_lines.stored(store, invoice_id, SIGN)
        lines = item_lines.merge(store, existing, body.sublist("item") or [], "item" in replace)
        total = item_lines.total(lines)
        if total < ar.applied_to_invoice(store, invoice_id):
            raise user_error("The total of the invoice cannot be less than the amount already paid or credited.")
        header = {"entity": row["entity"], "subsidiary": row["subsidiary"]}
        item_lines.replace_rows(store, invoice_id, lines, SIGN, header, ctx.now)
        tx_write.update(store, invoice_id, {"foreigntotal": to_real(total)})
    ar.refresh_invoice(store, invoice_id, ctx.now)


def delete(ctx: Ctx, invoice_id: int) -> None:
    store = ctx.store
    row = tx_write.load(store, invoice_id, RECORD_TYPE)
    if store.scalar("SELECT 1 FROM nexttransactionlinelink WHERE previousdoc = ?", (invoice_id,)):
        raise user_error(tx_write.DEPENDENT)
    tx_write.delete_transaction(store, row, "Invoice", ctx.now)


def void(ctx: Ctx, invoice_id: int) -> None:
    """What a user does in the UI: amounts become 0, voided, status Voided."""
    store = ctx.store
    row = tx_write.load(store, invoice_id, RECORD_TYPE)
    if store.scalar("SELECT 1 FROM nexttransactionlinelink WHERE previousdoc = ?", (invoice_id,)):
        raise user_error("You cannot void an invoice that has payments or credits applied.")
    store.conn.execute('UPDATE transactionline SET rate = 0, foreignamount = 0, netamount = 0, '
                       'linelastmodifieddate = ? WHERE "transaction" = ?', (ctx.now, invoice_id))
    tx_write.update(store, invoice_id, {"foreigntotal": 0.0, "foreignamountpaid": 0.0, "foreignamountunpaid": 0.0,
                                        "voided": "T", "status": "V", "lastmodifieddate": ctx.now,
                                        "memo": row["memo"] or "VOID"})
