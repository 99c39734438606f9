"""The bank deposit record: `payment` lines move payments out of Undeposited Funds, `other` lines
add money, `cashBack` lines take it out. Total = Σpayment + Σother − ΣcashBack."""

from decimal import Decimal

from netsuite_emulator import ar, names, tx_header, tx_write
from netsuite_emulator.errors import missing_values, user_error
from netsuite_emulator.rec_input import Body, invalid_value
from netsuite_emulator.rec_shape import Ctx, compact, ref, self_links, sublist
from netsuite_emulator.store import money, to_real

RECORD_TYPE = "deposit"
PATCHABLE = {"memo": "memo", "tranDate": "trandate", "externalId": "externalid"}
ZERO = Decimal("0.00")


def _account_ref(ctx: Ctx, account_id):
    return ref(ctx, "account", account_id, names.name_of(ctx.store, "account", account_id))


def _lines_json(ctx: Ctx, deposit_id: int) -> dict[str, list[dict]]:
    result = {"payment": [], "other": [], "cashback": []}
    for row in ctx.store.all('SELECT * FROM transactionline WHERE "transaction" = ? AND mainline = \'F\' '
                             "ORDER BY linesequencenumber", (deposit_id,)):
        amount = float(abs(money(row["foreignamount"])))
        if row["sublist"] == "payment":
            payment = ctx.store.one('SELECT tranid, trandate FROM "transaction" WHERE id = ?', (row["createdfrom"],))
            result["payment"].append({
                "_key": row["createdfrom"], "id": str(row["createdfrom"]), "deposit": True, "paymentAmount": amount,
                "transactionAmount": amount, "docNumber": payment["tranid"] if payment else None,
                "docDate": payment["trandate"] if payment else None, "type": "CustPymt",
                "entity": ref(ctx, "customer", row["entity"], names.name_of(ctx.store, "customer", row["entity"]))})
        else:
            line = {"_key": row["id"], "line": row["id"], "account": _account_ref(ctx, row["account"]),
                    "amount": amount if row["sublist"] == "cashback" else float(money(row["foreignamount"])),
                    "memo": row["memo"]}
            if row["sublist"] == "other" and row["entity"]:
                line["entity"] = ref(ctx, "customer", row["entity"], names.name_of(ctx.store, "customer", row["entity"]))
            result[row["sublist"]].append(line)
    return result


def get(ctx: Ctx, deposit_id: int, expand: bool, href: str) -> dict:
    row = tx_write.load(ctx.store, deposit_id, RECORD_TYPE)
    header = tx_header.read(ctx, row)
    header.pop("entity", None)
    lines = _lines_json(ctx, deposit_id)
    body = {"links": self_links(href), **header, "account": _account_ref(ctx, row["account"]),
            "total": float(money(row["foreigntotal"]))}
    for name, key in (("payment", "payment"), ("other", "other"), ("cashBack", "cashback")):
        body[name] = sublist(ctx, RECORD_TYPE, deposit_id, name, lines[key], expand)
    return compact(body)


def _free_lines(ctx: Ctx, bodies: list[Body], kind: str) -> list[dict]:
    lines = []
    for body in bodies:
        account, amount = body.ref_id("account"), body.decimal("amount")
        if account is None or amount is None:
            raise missing_values("Account" if account is None else "Amount")
        if not names.exists(ctx.store, "account", account):
            raise invalid_value(account, f"{kind}.account")
        entity = body.ref_id("entity") if kind == "other" else None
        if entity is not None and not names.exists(ctx.store, "customer", entity):
            raise invalid_value(entity, "other.entity")
        lines.append({"sublist": kind.lower(), "account": account, "amount": amount, "memo": body.text("memo"),
                      "entity": entity})
    return lines


def _payment_ids(ctx: Ctx, bodies: list[Body], existing: list[int], replace: bool) -> list[int]:
    chosen = [] if replace else list(existing)
    for body in bodies:
        payment_id = body.ref_id("id") if body.has("id") else body.ref_id("doc")
        if payment_id is None:
            raise missing_values("Payment")
        if body.boolean("deposit") is False:
            chosen = [known for known in chosen if known != payment_id]
        elif payment_id not in chosen:
            if payment_id not in existing:
                ar.depositable_payment(ctx.store, payment_id, "payment.id")
            chosen.append(payment_id)
    return chosen


def _write_lines(ctx: Ctx, deposit_id: int, header: dict, payments: list[int], free: list[dict]) -> Decimal:
    store = ctx.store
    store.conn.execute('DELETE FROM transactionline WHERE "transaction" = ?', (deposit_id,))
    rows, total = [], ZERO
    for payment_id in payments:
        payment = store.one('SELECT entity, foreigntotal FROM "transaction" WHERE id = ?', (payment_id,))
        amount = money(payment["foreigntotal"])
        rows.append({"sublist": "payment", "createdfrom": payment_id, "foreignamount": to_real(amount),
                     "entity": payment["entity"], "account": header["undeposited"]})
        total += amount
    for line in free:
        signed = -line["amount"] if line["sublist"] == "cashback" else line["amount"]
        rows.append({**line, "foreignamount": to_real(signed)})
        total += signed
    main = {"id": 0, "mainline": "T", "sublist": "main", "account": header["account"], "foreignamount": to_real(total)}
    numbered = [main] + [{**row, "id": index, "mainline": "F"} for index, row in enumerate(rows, start=1)]
    store.conn.executemany(tx_write.INSERT_LINE, [tx_write.line_tuple({
        **{key: value for key, value in row.items() if key != "amount"}, "transaction": deposit_id,
        "linesequencenumber": row["id"], "netamount": row["foreignamount"], "subsidiary": header["subsidiary"],
        "linelastmodifieddate": ctx.now}) for row in numbered])
    return total


def _bank_account(ctx: Ctx, body: Body):
    account_id = body.ref_id("account")
    if account_id is None:
        raise missing_values("Account")
    account = ctx.store.one("SELECT * FROM account WHERE id = ?", (account_id,))
    if account is None or account["accttype"] != "Bank":
        raise invalid_value(account_id, "account")
    return account


def _sync_statuses(ctx: Ctx, before: list[int], after: list[int]) -> None:
    for payment_id in set(before) - set(after):
        ar.set_payment_status(ctx.store, payment_id, "B", ctx.now)
    for payment_id in after:
        ar.set_payment_status(ctx.store, payment_id, "C", ctx.now)


def create(ctx: Ctx, body: Body) -> int:
    store = ctx.store
    account = _bank_account(ctx, body)
    payments = _payment_ids(ctx, body.sublist("payment") or [], [], False)
    free = _free_lines(ctx, body.sublist("other") or [], "other") + _free_lines(ctx, body.sublist("cashBack") or [], "cashBack")
    if not payments and not [line for line in free if line["sublist"] == "other"]:
        raise user_error("You must enter at least one line item for this transaction.")
    external_id = body.text("externalId")
    tx_write.check_external_id(store, "transaction", RECORD_TYPE, external_id)
    subsidiary = body.ref_id("subsidiary") or account["subsidiary"] or 1
    values = {"tranid": body.text("tranId") or tx_write.next_tranid(store, "DEP"), "type": "Deposit",
              "recordtype": RECORD_TYPE, "abbrevtype": "DEP", "trandate": tx_header.trandate(ctx, body),
              "createddate": ctx.now, "lastmodifieddate": ctx.now, "currency": body.ref_id("currency") or account["currency"] or 1,
              "subsidiary": subsidiary, "account": account["id"], "memo": body.text("memo"), "externalid": external_id}
    deposit_id = tx_write.insert_transaction(store, values, [])
    _store(ctx, deposit_id, {"account": account["id"], "subsidiary": subsidiary}, payments, free)
    _sync_statuses(ctx, [], payments)
    return deposit_id


def _store(ctx: Ctx, deposit_id: int, header: dict, payments: list[int], free: list[dict]) -> None:
    header["undeposited"] = ctx.store.scalar("SELECT id FROM account WHERE sspecacct = 'UndepFunds' ORDER BY id")
    total = _write_lines(ctx, deposit_id, header, payments, free)
    tx_write.update(ctx.store, deposit_id, {"foreigntotal": to_real(total), "lastmodifieddate": ctx.now})


def _stored_free(ctx: Ctx, deposit_id: int, kind: str) -> list[dict]:
    return [{"sublist": kind, "account": row["account"], "amount": abs(money(row["foreignamount"])),
             "memo": row["memo"], "entity": row["entity"]} for row in tx_write.lines(ctx.store, deposit_id, kind)]


def update(ctx: Ctx, deposit_id: int, body: Body, replace: set[str]) -> None:
    store = ctx.store
    row = tx_write.load(store, deposit_id, RECORD_TYPE)
    changes = tx_header.scalar_updates(body, PATCHABLE)
    tx_write.check_external_id(store, "transaction", RECORD_TYPE, changes.get("externalid"), deposit_id)
    if body.has("account"):
        changes["account"] = _bank_account(ctx, body)["id"]
    tx_write.update(store, deposit_id, changes)
    before = [line["createdfrom"] for line in tx_write.lines(store, deposit_id, "payment")]
    after = _payment_ids(ctx, body.sublist("payment") or [], before, "payment" in replace)
    other = [] if "other" in replace else _stored_free(ctx, deposit_id, "other")
    other += _free_lines(ctx, body.sublist("other") or [], "other")
    cash_back = _stored_free(ctx, deposit_id, "cashback") if not (body.has("cashBack") or "cashback" in replace) else []
    cash_back += _free_lines(ctx, body.sublist("cashBack") or [], "cashBack")
    header = {"account": changes.get("account", row["account"]), "subsidiary": row["subsidiary"]}
    _store(ctx, deposit_id, header, after, other + cash_back)
    _sync_statuses(ctx, before, after)


def delete(ctx: Ctx, deposit_id: int) -> None:
    store = ctx.store
    row = tx_write.load(store, deposit_id, RECORD_TYPE)
    before = [line["createdfrom"] for line in tx_write.lines(store, deposit_id, "payment")]
    tx_write.delete_transaction(store, row, "Deposit", ctx.now)
    _sync_statuses(ctx, before, [])
