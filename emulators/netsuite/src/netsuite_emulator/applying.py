"""The `apply` sublist of customer payments and credit memos, keyed by `doc`."""

from decimal import Decimal

from netsuite_emulator import ar, names
from netsuite_emulator.errors import missing_values, user_error
from netsuite_emulator.rec_input import Body
from netsuite_emulator.rec_shape import Ctx, ref
from netsuite_emulator.store import money

ZERO = Decimal("0.00")


def current(ctx: Ctx, document_id: int) -> dict[int, Decimal]:
    return {row["previousdoc"]: money(row["foreignamount"]) for row in ar.applications(ctx.store, document_id)}


def requested(lines: list[Body], existing: dict, replace: bool) -> dict:
    """Merges apply lines by doc: `apply: false` removes, `replace` drops lines not sent."""
    wanted = {} if replace else dict(existing)
    for line in lines:
        doc = line.ref_id("doc")
        if doc is None:
            raise missing_values("Doc")
        if line.boolean("apply") is False:
            wanted.pop(doc, None)
        else:
            wanted[doc] = line.decimal("amount") if line.has("amount") else existing.get(doc)
    return wanted


def store_applications(ctx: Ctx, document: dict, wanted: dict, limit: Decimal | None) -> Decimal:
    """Replaces the document's applications; returns the total applied. `document` needs id, type,
    entity, currency and trandate. Every invoice touched gets recomputed and its lastModifiedDate bumped."""
    store = ctx.store
    for invoice_id in ar.unlink_all(store, document["id"]):
        ar.refresh_invoice(store, invoice_id, ctx.now)
    applied = ZERO
    for invoice_id, amount in wanted.items():
        invoice = ar.open_invoice(store, invoice_id, document["entity"], document["currency"], "apply.doc")
        if amount is None:
            amount = money(invoice["foreignamountunpaid"])
            if limit is not None:
                amount = min(amount, limit - applied)
        ar.check_amount(store, invoice, amount)
        ar.link(store, invoice, document["id"], document["type"], amount, ctx.now, document["trandate"])
        ar.refresh_invoice(store, invoice_id, ctx.now)
        applied += amount
    if limit is not None and applied > limit:
        raise user_error("The total amount applied cannot be more than the amount of the payment or credit.")
    return applied


def as_json(ctx: Ctx, document_id: int) -> list[dict]:
    lines = []
    for row in ar.applications(ctx.store, document_id):
        invoice = ctx.store.one('SELECT tranid, foreigntotal, foreignamountunpaid FROM "transaction" WHERE id = ?',
                                (row["previousdoc"],))
        lines.append({
            "_key": row["previousdoc"], "apply": True, "amount": float(money(row["foreignamount"])),
            "doc": ref(ctx, "invoice", row["previousdoc"], names.name_of(ctx.store, "transaction", row["previousdoc"])),
            "line": row["previousline"], "refNum": invoice["tranid"] if invoice else None,
            "total": float(money(invoice["foreigntotal"])) if invoice else None,
            "due": float(money(invoice["foreignamountunpaid"])) if invoice else None,
            "applyDate": row["linkdate"], "type": "Invoice",
        })
    return lines
