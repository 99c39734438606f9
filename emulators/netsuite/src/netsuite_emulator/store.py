"""The per-account SQL engine: one sqlite3 connection (in memory, or a file in a temp dir for
big accounts). Only the event-loop thread touches it, so no locking is needed."""

import os
import shutil
import sqlite3
import tempfile
from contextlib import contextmanager
from decimal import Decimal

from netsuite_emulator.schema import INDEXES, TABLES

CENT = Decimal("0.01")


def money(value) -> Decimal:
    """Money read from a REAL column or JSON, as an exact two-place Decimal."""
    if value is None:
        return Decimal("0.00")
    return Decimal(str(value)).quantize(CENT)


def to_real(amount: Decimal) -> float:
    return float(amount.quantize(CENT))


class Store:
    def __init__(self, on_disk: bool = False):
        self.directory = tempfile.mkdtemp(prefix="ns-emulator-") if on_disk else None
        self.path = os.path.join(self.directory, "account.db") if on_disk else ":memory:"
        self.conn = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None)
        self.conn.row_factory = sqlite3.Row
        # MEMORY, not OFF: with no journal a ROLLBACK cannot undo a refused write.
        self.conn.execute("PRAGMA journal_mode=MEMORY")
        self.conn.execute("PRAGMA synchronous=OFF")
        self.conn.execute("PRAGMA cache_size=-200000")
        self.conn.execute("PRAGMA temp_store=MEMORY")
        self.conn.executescript(TABLES)
        self.generation = 0  # bumped on every write; keys the caches below
        self.lookup_cache: dict = {}
        self.count_cache: dict = {}

    def create_indexes(self) -> None:
        self.conn.executescript(INDEXES)

    def close(self) -> None:
        self.conn.close()
        if self.directory:
            shutil.rmtree(self.directory, ignore_errors=True)

    @contextmanager
    def write(self):
        """A write transaction: all or nothing."""
        self.conn.execute("BEGIN")
        try:
            yield self.conn
        except BaseException:
            self.conn.execute("ROLLBACK")
            self.invalidate()
            raise
        self.conn.execute("COMMIT")
        self.invalidate()

    def invalidate(self) -> None:
        self.generation += 1
        self.lookup_cache.clear()
        self.count_cache.clear()

    def one(self, sql: str, params=()) -> sqlite3.Row | None:
        return self.conn.execute(sql, params).fetchone()

    def all(self, sql: str, params=()) -> list[sqlite3.Row]:
        return self.conn.execute(sql, params).fetchall()

    def scalar(self, sql: str, params=()):
        row = self.conn.execute(sql, params).fetchone()
        return row[0] if row else None

    def next_value(self, name: str, start: int = 1) -> int:
        row = self.one("SELECT value FROM ns_counter WHERE name = ?", (name,))
        value = row["value"] + 1 if row else start
        self.conn.execute("INSERT OR REPLACE INTO ns_counter(name, value) VALUES (?, ?)", (name, value))
        return value

    def set_counter(self, name: str, value: int) -> None:
        self.conn.execute("INSERT OR REPLACE INTO ns_counter(name, value) VALUES (?, ?)", (name, value))

    def next_id(self, table: str) -> int:
        return (self.scalar(f'SELECT MAX(id) FROM "{table}"') or 0) + 1

    def size_bytes(self) -> int:
        pages = self.scalar("PRAGMA page_count")
        return pages * self.scalar("PRAGMA page_size")

    def record_counts(self) -> dict:
        counts = {row["recordtype"]: row["n"] for row in self.all(
            'SELECT recordtype, COUNT(*) AS n FROM "transaction" GROUP BY recordtype')}
        for table in ("customer", "account", "subsidiary", "currency"):
            counts[table] = self.scalar(f"SELECT COUNT(*) FROM {table}")
        for kind in ("invoice", "customerpayment", "creditmemo", "deposit"):
            counts.setdefault(kind, 0)
        return counts
