"""The credit memo record: item lines plus an apply sublist that credits invoices.

SuiteQL shows a credit memo's foreigntotal negative (it reduces A/R); the record API shows it positive."""

from netsuite_emulator import applying, ar, item_lines, tx_header, tx_write
from netsuite_emulator.rec_input import Body
from netsuite_emulator.rec_shape import Ctx, compact, ref, self_links, status, sublist
from netsuite_emulator.store import money, to_real

RECORD_TYPE = "creditmemo"
SIGN = 1
PATCHABLE = {"memo": "memo", "tranDate": "trandate", "externalId": "externalid", "otherRefNum": "otherrefnum"}


def get(ctx: Ctx, credit_id: int, expand: bool, href: str) -> dict:
    row = tx_write.load(ctx.store, credit_id, RECORD_TYPE)
    total = -money(row["foreigntotal"])
    lines = item_lines.stored(ctx.store, credit_id, SIGN)
    body = {
        "links": self_links(href), **tx_header.read(ctx, row), "subtotal": float(total), "total": float(total),
        "applied": float(money(row["foreignpaymentamountused"])),
        "unapplied": float(money(row["foreignpaymentamountunused"])),
        "createdFrom": ref(ctx, "invoice", row["createdfrom"]) if row["createdfrom"] else None,
        "status": status(ar.CREDIT_STATUS[row["status"]]),
        "item": sublist(ctx, RECORD_TYPE, credit_id, "item", item_lines.as_json(ctx, lines), expand),
        "apply": sublist(ctx, RECORD_TYPE, credit_id, "apply", applying.as_json(ctx, credit_id), expand),
    }
    return compact(body)


def create(ctx: Ctx, body: Body, lines: list[dict] | None = None, default_apply: dict | None = None,
           created_from: int | None = None) -> int:
    store = ctx.store
    customer = tx_header.customer_of(ctx, body, "entity", "Customer")
    if body.has("item") or lines is None:
        lines = item_lines.parse(store, body.sublist("item") or [])
    header = tx_header.new_header(ctx, body, customer)
    tx_write.check_external_id(store, "transaction", RECORD_TYPE, header["externalid"])
    total = item_lines.total(lines)
    values = {**header, "tranid": body.text("tranId") or tx_write.next_tranid(store, "CM"), "type": "CustCred",
              "recordtype": RECORD_TYPE, "abbrevtype": "CREDMEM", "status": "A", "foreigntotal": to_real(-total),
              "createdfrom": created_from}
    credit_id = tx_write.insert_transaction(store, values, item_lines.rows(lines, SIGN, header, ctx.now))
    wanted = applying.requested(body.sublist("apply") or [], default_apply or {}, False)
    applying.store_applications(ctx, {**values, "id": credit_id}, wanted, total)
    ar.refresh_payment_amounts(store, credit_id, total, ctx.now, credit=True)
    return credit_id


def update(ctx: Ctx, credit_id: int, body: Body, replace: set[str]) -> None:
    store = ctx.store
    row = tx_write.load(store, credit_id, RECORD_TYPE)
    changes = tx_header.scalar_updates(body, PATCHABLE)
    tx_write.check_external_id(store, "transaction", RECORD_TYPE, changes.get("externalid"), credit_id)
    tx_write.update(store, credit_id, changes)
    total = -money(row["foreigntotal"])
    if body.has("item") or "item" in replace:
        existing = item_lines.stored(store, credit_id, SIGN)
        lines = item_lines.merge(store, existing, body.sublist("item") or [], "item" in replace)
        total = item_lines.total(lines)
        header = {"entity": row["entity"], "subsidiary": row["subsidiary"]}
        item_lines.replace_rows(store, credit_id, lines, SIGN, header, ctx.now)
        tx_write.update(store, credit_id, {"foreigntotal": to_real(-total)})
    if body.has("apply") or "apply" in replace or body.has("item"):
        existing = applying.current(ctx, credit_id)
        wanted = applying.requested(body.sublist("apply") or [], existing, "apply" in replace)
        applying.store_applications(ctx, dict(row), wanted, total)
    ar.refresh_payment_amounts(store, credit_id, total, ctx.now, credit=True)


def delete(ctx: Ctx, credit_id: int) -> None:
    store = ctx.store
    row = tx_write.load(store, credit_id, RECORD_TYPE)
    for invoice_id in ar.unlink_all(store, credit_id):
        ar.refresh_invoice(store, invoice_id, ctx.now)
    tx_write.delete_transaction(store, row, "Credit Memo", ctx.now)
