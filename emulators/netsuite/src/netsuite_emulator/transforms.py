"""POST invoice/{id}/!transform/customerPayment and /!transform/creditMemo."""

from netsuite_emulator import item_lines, rec_creditmemo, rec_payment, tx_write
from netsuite_emulator.errors import user_error
from netsuite_emulator.rec_input import Body
from netsuite_emulator.rec_shape import Ctx


def _open_invoice(ctx: Ctx, invoice_id: int):
    invoice = tx_write.load(ctx.store, invoice_id, "invoice")
    if invoice["status"] != "A":
        raise user_error("You cannot transform this invoice: it is not open.")
    return invoice


def invoice_to_payment(ctx: Ctx, invoice_id: int, body: Body) -> int:
    invoice = _open_invoice(ctx, invoice_id)
    defaults = {"customer": {"id": str(invoice["entity"])}, "currency": {"id": str(invoice["currency"])}}
    return rec_payment.create(ctx, Body({**defaults, **body.data}), default_apply={invoice_id: None})


def invoice_to_credit_memo(ctx: Ctx, invoice_id: int, body: Body) -> int:
    invoice = _open_invoice(ctx, invoice_id)
    lines = item_lines.stored(ctx.store, invoice_id, -1)
    defaults = {"entity": {"id": str(invoice["entity"])}, "currency": {"id": str(invoice["currency"])}}
    return rec_creditmemo.create(ctx, Body({**defaults, **body.data}), lines=lines,
                                 default_apply={invoice_id: None}, created_from=invoice_id)
