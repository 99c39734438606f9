"""Header fields shared by all transaction record types, for reading and for writing."""

from netsuite_emulator import names
from netsuite_emulator.clock import add_days, iso_z, parse_db_date
from netsuite_emulator.errors import missing_values
from netsuite_emulator.rec_input import Body, invalid_value
from netsuite_emulator.rec_shape import Ctx, number, ref


def subsidiary_ref(ctx: Ctx, subsidiary):
    """Accounts without OneWorld have no subsidiaries: records carry no ``subsidiary`` field at all."""
    if not ctx.account.oneworld:
        return None
    return ref(ctx, "subsidiary", subsidiary, names.name_of(ctx.store, "subsidiary", subsidiary))


def read(ctx: Ctx, row, customer_field: str = "entity") -> dict:
    store = ctx.store
    return {
        "id": str(row["id"]), "tranId": row["tranid"], "externalId": row["externalid"],
        customer_field: ref(ctx, "customer", row["entity"], names.name_of(store, "customer", row["entity"])),
        "tranDate": row["trandate"], "createdDate": iso_z(row["createddate"]),
        "lastModifiedDate": iso_z(row["lastmodifieddate"]),
        "currency": ref(ctx, "currency", row["currency"], names.name_of(store, "currency", row["currency"])),
        "exchangeRate": number(row["exchangerate"]),
        "subsidiary": subsidiary_ref(ctx, row["subsidiary"]),
        "memo": row["memo"],
    }


def customer_of(ctx: Ctx, body: Body, field: str, label: str):
    customer_id = body.ref_id(field)
    if customer_id is None:
        raise missing_values(label)
    row = ctx.store.one("SELECT * FROM customer WHERE id = ?", (customer_id,))
    if row is None:
        raise invalid_value(customer_id, field)
    return row


def currency_of(ctx: Ctx, body: Body, customer) -> int:
    currency = body.ref_id("currency")
    if currency is None:
        return customer["currency"]
    if not names.exists(ctx.store, "currency", currency):
        raise invalid_value(currency, "currency")
    return currency


def trandate(ctx: Ctx, body: Body) -> str:
    return body.date("tranDate") or ctx.account.clock.local_today(ctx.account.timezone).isoformat()


def due_date(body: Body, tran_date: str) -> str:
    return body.date("dueDate") or add_days(parse_db_date(tran_date), 30).isoformat()


def new_header(ctx: Ctx, body: Body, customer) -> dict:
    tran_date = trandate(ctx, body)
    return {
        "entity": customer["id"], "trandate": tran_date, "createddate": ctx.now, "lastmodifieddate": ctx.now,
        "currency": currency_of(ctx, body, customer), "subsidiary": customer["subsidiary"],
        "memo": body.text("memo"), "externalid": body.text("externalId"), "otherrefnum": body.text("otherRefNum"),
    }


def scalar_updates(body: Body, fields: dict) -> dict:
    """PATCH of plain header fields: omitted stays, null clears."""
    changes = {}
    for name, column in fields.items():
        if body.has(name):
            changes[column] = body.date(name) if name.endswith("Date") else body.text(name)
    return changes
