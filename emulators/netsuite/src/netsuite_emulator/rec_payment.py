"""The customer payment record: apply sublist, unapplied remainder, Undeposited Funds."""

from decimal import Decimal

from netsuite_emulator import applying, ar, names, tx_header, tx_write
from netsuite_emulator.errors import missing_values, user_error
from netsuite_emulator.rec_input import Body, invalid_value
from netsuite_emulator.rec_shape import Ctx, bool_out, compact, ref, self_links, status, sublist
from netsuite_emulator.store import money, to_real

RECORD_TYPE = "customerpayment"
PATCHABLE = {"memo": "memo", "tranDate": "trandate", "externalId": "externalid"}


def get(ctx: Ctx, payment_id: int, expand: bool, href: str) -> dict:
    row = tx_write.load(ctx.store, payment_id, RECORD_TYPE)
    total = money(row["foreigntotal"])
    body = {
        "links": self_links(href), **tx_header.read(ctx, row, "customer"),
        "payment": float(total), "total": float(total),
        "applied": float(money(row["foreignpaymentamountused"])),
        "unapplied": float(money(row["foreignpaymentamountunused"])),
        "undepFunds": bool_out(row["undepfunds"]),
        "account": ref(ctx, "account", row["account"], names.name_of(ctx.store, "account", row["account"])),
        "status": status(ar.PAYMENT_STATUS[row["status"]]),
        "apply": sublist(ctx, RECORD_TYPE, payment_id, "apply", applying.as_json(ctx, payment_id), expand),
    }
    return compact(body)


def _posting(ctx: Ctx, body: Body) -> tuple[str, int]:
    undeposited = body.boolean("undepFunds")
    account = body.ref_id("account")
    if undeposited is None:
        undeposited = account is None
    if undeposited:
        return "T", ctx.store.scalar("SELECT id FROM account WHERE sspecacct = 'UndepFunds' ORDER BY id")
    if account is None:
        raise missing_values("Account")
    if ctx.store.scalar("SELECT accttype FROM account WHERE id = ?", (account,)) not in ("Bank", "OthCurrAsset"):
        raise invalid_value(account, "account")
    return "F", account


def create(ctx: Ctx, body: Body, default_apply: dict | None = None) -> int:
    store = ctx.store
    customer = tx_header.customer_of(ctx, body, "customer", "Customer")
    header = tx_header.new_header(ctx, body, customer)
    tx_write.check_external_id(store, "transaction", RECORD_TYPE, header["externalid"])
    undeposited, account = _posting(ctx, body)
    payment = body.decimal("payment")
    wanted = applying.requested(body.sublist("apply") or [], default_apply or {}, False)
    if payment is None and not wanted:
        raise missing_values("Payment Amount")
    if payment is not None and payment <= 0:
        raise invalid_value(payment, "payment")
    values = {**header, "tranid": body.text("tranId") or tx_write.next_tranid(store, ""), "type": "CustPymt",
              "recordtype": RECORD_TYPE, "abbrevtype": "PYMT", "status": "B" if undeposited == "T" else "C",
              "foreigntotal": to_real(payment or Decimal(0)), "undepfunds": undeposited, "account": account}
    main = {"id": 0, "linesequencenumber": 0, "mainline": "T", "sublist": "main", "entity": customer["id"],
            "subsidiary": customer["subsidiary"], "account": account, "linelastmodifieddate": ctx.now}
    payment_id = tx_write.insert_transaction(store, values, [main])
    document = {**values, "id": payment_id}
    applied = applying.store_applications(ctx, document, wanted, payment)
    _set_total(ctx, payment_id, payment if payment is not None else applied)
    return payment_id


def _set_total(ctx: Ctx, payment_id: int, total: Decimal) -> None:
    tx_write.update(ctx.store, payment_id, {"foreigntotal": to_real(total)})
    ctx.store.conn.execute('UPDATE transactionline SET foreignamount = ?, netamount = ? WHERE "transaction" = ? '
                           "AND id = 0", (to_real(total), to_real(total), payment_id))
    ar.refresh_payment_amounts(ctx.store, payment_id, total, ctx.now, credit=False)


def update(ctx: Ctx, payment_id: int, body: Body, replace: set[str]) -> None:
    store = ctx.store
    row = tx_write.load(store, payment_id, RECORD_TYPE)
    changes = tx_header.scalar_updates(body, PATCHABLE)
    tx_write.check_external_id(store, "transaction", RECORD_TYPE, changes.get("externalid"), payment_id)
    tx_write.update(store, payment_id, changes)
    total = body.decimal("payment") if body.has("payment") else money(row["foreigntotal"])
    if body.has("payment") and ar.deposit_of(store, payment_id):
        raise user_error("You cannot change the amount of a deposited payment.")
    if body.has("apply") or "apply" in replace:
        existing = applying.current(ctx, payment_id)
        wanted = applying.requested(body.sublist("apply") or [], existing, "apply" in replace)
        applying.store_applications(ctx, dict(row), wanted, total)
    elif total < ar.applied_by(store, payment_id):
        raise user_error("The total amount applied cannot be more than the amount of the payment or credit.")
    _set_total(ctx, payment_id, total)


def delete(ctx: Ctx, payment_id: int) -> None:
    store = ctx.store
    row = tx_write.load(store, payment_id, RECORD_TYPE)
    if ar.deposit_of(store, payment_id):
        raise user_error(tx_write.DEPENDENT)
    for invoice_id in ar.unlink_all(store, payment_id):
        ar.refresh_invoice(store, invoice_id, ctx.now)
    tx_write.delete_transaction(store, row, "Payment", ctx.now)
