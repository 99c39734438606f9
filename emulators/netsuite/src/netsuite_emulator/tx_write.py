"""Persistence helpers shared by the transaction record types."""

from netsuite_emulator.errors import nonexistent_id, user_error
from netsuite_emulator.store import Store

TX_COLUMNS = (
    "id", "tranid", "transactionnumber", "type", "recordtype", "abbrevtype", "entity", "trandate",
    "duedate", "createddate", "lastmodifieddate", "status", "currency", "exchangerate", "foreigntotal",
    "foreignamountpaid", "foreignamountunpaid", "foreignpaymentamountused", "foreignpaymentamountunused",
    "memo", "otherrefnum", "externalid", "voided", "posting", "subsidiary", "account", "undepfunds",
    "createdfrom",
)
LINE_COLUMNS = (
    "transaction", "id", "linesequencenumber", "mainline", "taxline", "sublist", "item", "quantity",
    "rate", "foreignamount", "netamount", "memo", "entity", "subsidiary", "account", "createdfrom",
    "linelastmodifieddate",
)
KIND_COLUMNS = ("iscogs", "transactiondiscount", "itemtype", "kitcomponent", "assemblycomponent")
PLAIN_KIND = ("F", "F", None, "F", "F")
INSERT_LINE_WITH_KIND = (f'INSERT INTO transactionline ({", ".join(chr(34) + c + chr(34) for c in LINE_COLUMNS + KIND_COLUMNS)}) '
                         f'VALUES ({", ".join("?" * (len(LINE_COLUMNS) + len(KIND_COLUMNS)))})')
INSERT_TX = (f'INSERT INTO "transaction" ({", ".join(TX_COLUMNS)}) '
             f'VALUES ({", ".join("?" * len(TX_COLUMNS))})')
INSERT_LINE = (f'INSERT INTO transactionline ({", ".join(chr(34) + c + chr(34) for c in LINE_COLUMNS)}) '
               f'VALUES ({", ".join("?" * len(LINE_COLUMNS))})')
DEPENDENT = "This record cannot be deleted because it has dependent records."


def tx_tuple(values: dict) -> tuple:
    defaults = {"exchangerate": 1.0, "voided": "F", "posting": "T"}
    return tuple(values.get(column, defaults.get(column)) for column in TX_COLUMNS)


def line_tuple(values: dict) -> tuple:
    defaults = {"taxline": "F", "mainline": "F"}
    return tuple(values.get(column, defaults.get(column)) for column in LINE_COLUMNS)


def insert_transaction(store: Store, values: dict, lines: list[dict]) -> int:
    transaction_id = store.next_value("transaction")
    values = {**values, "id": transaction_id, "transactionnumber": values.get("tranid")}
    store.conn.execute(INSERT_TX, tx_tuple(values))
    store.conn.executemany(INSERT_LINE, [line_tuple({**line, "transaction": transaction_id}) for line in lines])
    return transaction_id


def load(store: Store, transaction_id, recordtype: str):
    row = store.one('SELECT * FROM "transaction" WHERE id = ? AND recordtype = ?', (transaction_id, recordtype))
    if row is None:
        raise nonexistent_id()
    return row


def lines(store: Store, transaction_id: int, sublist: str) -> list:
    return store.all('SELECT * FROM transactionline WHERE "transaction" = ? AND sublist = ? '
                     "ORDER BY linesequencenumber", (transaction_id, sublist))


def update(store: Store, transaction_id: int, values: dict) -> None:
    if values:
        assignments = ", ".join(f"{column} = ?" for column in values)
        store.conn.execute(f'UPDATE "transaction" SET {assignments} WHERE id = ?',
                           (*values.values(), transaction_id))


def touch(store: Store, ids, now: str) -> None:
    for transaction_id in set(ids):
        store.conn.execute('UPDATE "transaction" SET lastmodifieddate = ? WHERE id = ?', (now, transaction_id))


def check_external_id(store: Store, table: str, recordtype: str | None, external_id, own_id=None) -> None:
    if external_id is None:
        return
    where = "externalid = ? AND recordtype = ?" if recordtype else "externalid = ?"
    params = (external_id, recordtype) if recordtype else (external_id,)
    existing = store.scalar(f'SELECT id FROM "{table}" WHERE {where}', params)
    if existing is not None and existing != own_id:
        raise user_error("This entity already exists.")


def find_by_external_id(store: Store, table: str, recordtype: str | None, external_id: str) -> int | None:
    if recordtype:
        return store.scalar(f'SELECT id FROM "{table}" WHERE externalid = ? AND recordtype = ?',
                            (external_id, recordtype))
    return store.scalar(f'SELECT id FROM "{table}" WHERE externalid = ?', (external_id,))


def next_tranid(store: Store, prefix: str) -> str:
    return f"{prefix}{store.next_value('tranid:' + prefix, 1000)}"


def record_deleted(store: Store, record_id: int, record_type: str, type_name: str, name, now: str) -> None:
    store.conn.execute(
        "INSERT INTO deletedrecord (recordid, recordtypeid, name, type, context, deletedby, deleteddate) "
        "VALUES (?, ?, ?, ?, 'Web Services (REST)', -5, ?)", (record_id, record_type, name, type_name, now))


def delete_transaction(store: Store, row, type_name: str, now: str) -> None:
    store.conn.execute('DELETE FROM transactionline WHERE "transaction" = ?', (row["id"],))
    store.conn.execute('DELETE FROM "transaction" WHERE id = ?', (row["id"],))
    record_deleted(store, row["id"], row["recordtype"], type_name, row["tranid"], now)
