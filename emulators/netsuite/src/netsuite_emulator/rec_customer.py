"""The customer record."""

from netsuite_emulator import names, tx_header, tx_write
from netsuite_emulator.clock import iso_z
from netsuite_emulator.errors import missing_values, nonexistent_id, user_error
from netsuite_emulator.rec_input import Body, invalid_value
from netsuite_emulator.rec_shape import Ctx, bool_out, compact, number, ref, self_links
from netsuite_emulator.store import money

RECORD_TYPE = "customer"
TEXT_FIELDS = {"companyName": "companyname", "entityId": "entityid", "email": "email", "phone": "phone",
               "firstName": "firstname", "lastName": "lastname", "externalId": "externalid"}


def _load(ctx: Ctx, customer_id: int):
    row = ctx.store.one("SELECT * FROM customer WHERE id = ?", (customer_id,))
    if row is None:
        raise nonexistent_id()
    return row


def get(ctx: Ctx, customer_id: int, expand: bool, href: str) -> dict:
    row = _load(ctx, customer_id)
    store = ctx.store
    balance = sum(money(value["foreignamountunpaid"]) for value in store.all(
        'SELECT foreignamountunpaid FROM "transaction" WHERE entity = ? AND type = \'CustInvc\'', (customer_id,)))
    body = {
        "links": self_links(href), "id": str(row["id"]), "entityId": row["entityid"],
        "companyName": row["companyname"], "isPerson": bool_out(row["isperson"]), "firstName": row["firstname"],
        "lastName": row["lastname"], "email": row["email"], "phone": row["phone"],
        "externalId": row["externalid"], "isInactive": bool_out(row["isinactive"]),
        "subsidiary": tx_header.subsidiary_ref(ctx, row["subsidiary"]),
        "currency": ref(ctx, "currency", row["currency"], names.name_of(store, "currency", row["currency"])),
        "dateCreated": iso_z(row["datecreated"]), "lastModifiedDate": iso_z(row["lastmodifieddate"]),
        "balance": number(float(balance)),
    }
    return compact(body)


def _references(ctx: Ctx, body: Body, values: dict) -> dict:
    if body.has("subsidiary"):
        subsidiary = body.ref_id("subsidiary")
        if not names.exists(ctx.store, "subsidiary", subsidiary):
            raise invalid_value(subsidiary, "subsidiary")
        values["subsidiary"] = subsidiary
    if body.has("currency"):
        currency = body.ref_id("currency")
        if not names.exists(ctx.store, "currency", currency):
            raise invalid_value(currency, "currency")
        values["currency"] = currency
    for flag in ("isInactive", "isPerson"):
        if body.has(flag):
            values[flag.lower()] = "T" if body.boolean(flag) else "F"
    return values


def create(ctx: Ctx, body: Body) -> int:
    store = ctx.store
    values = {column: body.text(name) for name, column in TEXT_FIELDS.items()}
    if body.boolean("isPerson") and not values["companyname"]:
        values["companyname"] = " ".join(filter(None, (values["firstname"], values["lastname"]))) or None
    if not values["companyname"]:
        raise missing_values("Company Name")
    values["entityid"] = values["entityid"] or values["companyname"]
    values = _references(ctx, body, {"subsidiary": 1, **values})
    values.setdefault("currency", store.scalar("SELECT currency FROM subsidiary WHERE id = ?", (values["subsidiary"],)))
    tx_write.check_external_id(store, "customer", None, values["externalid"])
    customer_id = store.next_value("customer")
    values.update(id=customer_id, datecreated=ctx.now, lastmodifieddate=ctx.now)
    columns = ", ".join(values)
    store.conn.execute(f"INSERT INTO customer ({columns}) VALUES ({', '.join('?' * len(values))})",
                       tuple(values.values()))
    return customer_id


def update(ctx: Ctx, customer_id: int, body: Body, replace: set[str]) -> None:
    _load(ctx, customer_id)
    values = {column: body.text(name) for name, column in TEXT_FIELDS.items() if body.has(name)}
    if "companyname" in values and not values["companyname"]:
        raise missing_values("Company Name")
    values = _references(ctx, body, values)
    tx_write.check_external_id(ctx.store, "customer", None, values.get("externalid"), customer_id)
    values["lastmodifieddate"] = ctx.now
    assignments = ", ".join(f"{column} = ?" for column in values)
    ctx.store.conn.execute(f"UPDATE customer SET {assignments} WHERE id = ?", (*values.values(), customer_id))


def delete(ctx: Ctx, customer_id: int) -> None:
    row = _load(ctx, customer_id)
    if ctx.store.scalar('SELECT 1 FROM "transaction" WHERE entity = ? LIMIT 1', (customer_id,)):
        raise user_error(tx_write.DEPENDENT)
    ctx.store.conn.execute("DELETE FROM customer WHERE id = ?", (customer_id,))
    tx_write.record_deleted(ctx.store, customer_id, "customer", "Customer", row["entityid"], ctx.now)
