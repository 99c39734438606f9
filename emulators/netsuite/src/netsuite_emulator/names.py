"""Display names of referenced records (the refName in record JSON)."""

from netsuite_emulator.store import Store

QUERIES = {
    "customer": "SELECT companyname FROM customer WHERE id = ?",
    "currency": "SELECT name FROM currency WHERE id = ?",
    "subsidiary": "SELECT name FROM subsidiary WHERE id = ?",
    "account": "SELECT fullname FROM account WHERE id = ?",
    "item": "SELECT itemid FROM item WHERE id = ?",
    "transaction": "SELECT tranid FROM \"transaction\" WHERE id = ?",
}


def name_of(store: Store, table: str, record_id) -> str | None:
    if record_id is None:
        return None
    return store.scalar(QUERIES[table], (record_id,))


def exists(store: Store, table: str, record_id) -> bool:
    return store.scalar(f'SELECT 1 FROM "{table}" WHERE id = ?', (record_id,)) is not None
