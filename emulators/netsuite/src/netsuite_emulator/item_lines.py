"""The item sublist of invoices and credit memos: parsing, NetSuite's keyed merge, storage.

In transactionline, invoice item lines carry negative amounts and quantities (income is credited)
and credit-memo lines positive ones, as SuiteQL shows them; the record API shows them positive."""

from decimal import Decimal

from netsuite_emulator import names
from netsuite_emulator.errors import missing_values, user_error
from netsuite_emulator.rec_input import Body, invalid_value
from netsuite_emulator.rec_shape import Ctx, ref
from netsuite_emulator.store import Store, money, to_real
from netsuite_emulator.tx_write import INSERT_LINE, line_tuple

ZERO = Decimal("0.00")


def _amounts(line: dict) -> dict:
    quantity = line.get("quantity") or Decimal("1")
    if line.get("amount") is not None and line.get("rate") is None:
        line["rate"] = (line["amount"] / quantity).quantize(Decimal("0.01")) if quantity else line["amount"]
    rate = line.get("rate") or ZERO
    if line.get("amount") is None:
        line["amount"] = (quantity * rate).quantize(Decimal("0.01"))
    line["quantity"], line["rate"] = quantity, rate
    return line


def _read_input(store: Store, body: Body, line: dict) -> dict:
    if body.has("item"):
        item = body.ref_id("item")
        if item is None:
            raise missing_values("Item")
        if not names.exists(store, "item", item):
            raise invalid_value(item, "item")
        line["item"] = item
    for name in ("quantity", "rate", "amount"):
        if body.has(name):
            line[name] = body.decimal(name)
    if (body.has("quantity") or body.has("rate")) and not body.has("amount"):
        line["amount"] = None
    if body.has("description"):
        line["description"] = body.text("description")
    return line


def parse(store: Store, bodies: list[Body]) -> list[dict]:
    parsed = []
    for body in bodies:
        line = _read_input(store, body, {})
        if "item" not in line:
            raise missing_values("Item")
        parsed.append(_amounts(line))
    if not parsed:
        raise user_error("You must enter at least one line item for this transaction.")
    return parsed


def merge(store: Store, existing: list[dict], bodies: list[Body], replace: bool) -> list[dict]:
    """Keyed by `line`: matching lines are updated, others added; `replace` drops the unmatched."""
    by_line = {line["line"]: line for line in existing}
    touched, added = [], []
    for body in bodies:
        key = body.raw("line")
        key = int(key) if key is not None and str(key).isdigit() else None
        if key in by_line:
            touched.append(_amounts(_read_input(store, body, by_line[key])))
        else:
            added.append(parse(store, [body])[0])
    kept = touched if replace else existing
    next_line = max([line["line"] for line in existing] or [0])
    for line in added:
        next_line += 1
        line["line"] = next_line
    merged = sorted(kept, key=lambda line: line["line"]) + added
    if not merged:
        raise user_error("You must enter at least one line item for this transaction.")
    return merged


def total(lines: list[dict]) -> Decimal:
    return sum((line["amount"] for line in lines), ZERO)


def stored(store: Store, transaction_id: int, sign: int) -> list[dict]:
    rows = store.all('SELECT * FROM transactionline WHERE "transaction" = ? AND sublist = \'item\' '
                     "ORDER BY linesequencenumber", (transaction_id,))
    return [{"line": row["id"], "item": row["item"], "quantity": money(row["quantity"]) * sign,
             "rate": money(row["rate"]), "amount": money(row["foreignamount"]) * sign,
             "description": row["memo"]} for row in rows]


def rows(lines: list[dict], sign: int, header: dict, now: str) -> list[dict]:
    result = [{"id": 0, "linesequencenumber": 0, "mainline": "T", "sublist": "main",
               "foreignamount": to_real(-sign * total(lines)), "netamount": to_real(-sign * total(lines)),
               "entity": header["entity"], "subsidiary": header["subsidiary"], "linelastmodifieddate": now}]
    for sequence, line in enumerate(lines, start=1):
        line.setdefault("line", sequence)
        result.append({
            "id": line["line"], "linesequencenumber": sequence, "sublist": "item", "item": line["item"],
            "quantity": float(sign * line["quantity"]), "rate": to_real(line["rate"]),
            "foreignamount": to_real(sign * line["amount"]), "netamount": to_real(sign * line["amount"]),
            "memo": line.get("description"), "entity": header["entity"], "subsidiary": header["subsidiary"],
            "linelastmodifieddate": now})
    return result


def replace_rows(store: Store, transaction_id: int, lines: list[dict], sign: int, header: dict, now: str) -> None:
    store.conn.execute('DELETE FROM transactionline WHERE "transaction" = ? AND sublist IN (\'main\', \'item\')',
                       (transaction_id,))
    store.conn.executemany(INSERT_LINE, [line_tuple({**row, "transaction": transaction_id})
                                         for row in rows(lines, sign, header, now)])


def as_json(ctx: Ctx, lines: list[dict]) -> list[dict]:
    return [{"_key": line["line"], "line": line["line"],
             "item": ref(ctx, None, line["item"], names.name_of(ctx.store, "item", line["item"])),
             "description": line.get("description"), "quantity": float(line["quantity"]),
             "rate": float(line["rate"]), "amount": float(line["amount"])} for line in lines]
