"""Read-only reference records: account, subsidiary, currency."""

from netsuite_emulator import names
from netsuite_emulator.errors import nonexistent_id
from netsuite_emulator.rec_shape import Ctx, bool_out, compact, number, ref, self_links


def _load(ctx: Ctx, table: str, record_id: int):
    row = ctx.store.one(f"SELECT * FROM {table} WHERE id = ?", (record_id,))
    if row is None:
        raise nonexistent_id()
    return row


def get_account(ctx: Ctx, record_id: int, expand: bool, href: str) -> dict:
    row = _load(ctx, "account", record_id)
    return compact({
        "links": self_links(href), "id": str(row["id"]), "acctNumber": row["acctnumber"],
        "acctName": row["accountsearchdisplayname"], "displayNameWithHierarchy": row["fullname"],
        "acctType": {"id": row["accttype"], "refName": row["accttype"]}, "description": row["description"],
        "sSpecAcct": row["sspecacct"], "isInactive": bool_out(row["isinactive"]), "externalId": row["externalid"],
        "currency": ref(ctx, "currency", row["currency"], names.name_of(ctx.store, "currency", row["currency"])),
        "subsidiary": {"links": [], "items": [ref(ctx, "subsidiary", row["subsidiary"],
                                                   names.name_of(ctx.store, "subsidiary", row["subsidiary"]))]}
        if row["subsidiary"] else None,
    })


def get_subsidiary(ctx: Ctx, record_id: int, expand: bool, href: str) -> dict:
    row = _load(ctx, "subsidiary", record_id)
    return compact({
        "links": self_links(href), "id": str(row["id"]), "name": row["name"], "legalName": row["legalname"],
        "isInactive": bool_out(row["isinactive"]), "isElimination": bool_out(row["iselimination"]),
        "country": {"id": row["country"], "refName": row["country"]} if row["country"] else None,
        "currency": ref(ctx, "currency", row["currency"], names.name_of(ctx.store, "currency", row["currency"])),
        "parent": ref(ctx, "subsidiary", row["parent"], names.name_of(ctx.store, "subsidiary", row["parent"])),
    })


def get_currency(ctx: Ctx, record_id: int, expand: bool, href: str) -> dict:
    row = _load(ctx, "currency", record_id)
    return compact({
        "links": self_links(href), "id": str(row["id"]), "name": row["name"], "symbol": row["symbol"],
        "isBaseCurrency": bool_out(row["isbasecurrency"]), "isInactive": bool_out(row["isinactive"]),
        "exchangeRate": number(row["exchangerate"]),
    })
