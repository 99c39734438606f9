"""Invoice PDFs rendered with fpdf2. The bytes depend only on the invoice's data (the creation
date is the invoice's lastModifiedDate), so an unchanged invoice renders identically."""

from datetime import timezone

from fpdf import FPDF

from netsuite_emulator import clock
from netsuite_emulator.item_lines import stored
from netsuite_emulator.store import Store, money

STATUS = {"A": "Open", "B": "Paid In Full", "V": "Voided"}


def invoice_data(store: Store, invoice_id: int) -> dict | None:
    row = store.one(
        'SELECT t.*, c.companyname, c.email, cur.name AS currency_name, s.name AS subsidiary_name '
        'FROM "transaction" t LEFT JOIN customer c ON c.id = t.entity LEFT JOIN currency cur ON cur.id = t.currency '
        "LEFT JOIN subsidiary s ON s.id = t.subsidiary WHERE t.id = ? AND t.type = 'CustInvc'", (invoice_id,))
    if row is None:
        return None
    lines = stored(store, invoice_id, -1)
    items = {line["item"]: store.scalar("SELECT itemid FROM item WHERE id = ?", (line["item"],)) for line in lines}
    return {**dict(row), "lines": [{**line, "item_name": items[line["item"]]} for line in lines]}


def _latin(text) -> str:
    return str(text or "").encode("latin-1", "replace").decode("latin-1")


def _header(document: FPDF, invoice: dict) -> None:
    document.set_font("Helvetica", "B", 18)
    document.cell(0, 10, _latin(invoice["subsidiary_name"]), new_x="LMARGIN", new_y="NEXT")
    document.set_font("Helvetica", "B", 14)
    document.cell(0, 10, _latin(f"Invoice {invoice['tranid']}"), new_x="LMARGIN", new_y="NEXT")
    document.set_font("Helvetica", "", 10)
    for label, value in (("Bill to", invoice["companyname"]), ("Date", invoice["trandate"]),
                         ("Due date", invoice["duedate"]), ("Currency", invoice["currency_name"]),
                         ("Status", STATUS.get(invoice["status"], invoice["status"]))):
        document.cell(0, 6, _latin(f"{label}: {value or ''}"), new_x="LMARGIN", new_y="NEXT")
    document.ln(4)


def _lines(document: FPDF, invoice: dict) -> None:
    widths = (70, 45, 20, 25, 25)
    document.set_font("Helvetica", "B", 9)
    for width, title in zip(widths, ("Description", "Item", "Qty", "Rate", "Amount")):
        document.cell(width, 7, title, border=1)
    document.ln()
    document.set_font("Helvetica", "", 9)
    for line in invoice["lines"]:
        cells = (line.get("description") or "", line["item_name"] or "", format(line["quantity"].normalize(), "f"),
                 f"{line['rate']:,.2f}", f"{line['amount']:,.2f}")
        for width, text in zip(widths, cells):
            document.cell(width, 7, _latin(text)[:44], border=1)
        document.ln()


def _totals(document: FPDF, invoice: dict) -> None:
    document.ln(3)
    document.set_font("Helvetica", "B", 10)
    for label, value in (("Total", invoice["foreigntotal"]), ("Amount paid", invoice["foreignamountpaid"]),
                         ("Amount remaining", invoice["foreignamountunpaid"])):
        document.cell(160, 7, label, align="R")
        document.cell(25, 7, f"{money(value):,.2f}", align="R", new_x="LMARGIN", new_y="NEXT")


def render(invoice: dict) -> bytes:
    document = FPDF()
    created = clock.from_db(invoice["lastmodifieddate"]).astimezone(timezone.utc)
    document.set_creation_date(created)
    document.set_title(_latin(f"Invoice {invoice['tranid']}"))
    document.set_author(_latin(invoice["subsidiary_name"]))
    document.add_page()
    _header(document, invoice)
    _lines(document, invoice)
    _totals(document, invoice)
    return bytes(document.output())
