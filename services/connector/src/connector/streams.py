"""What the connector reads from NetSuite: one stream per record family, as SuiteQL.

Each stream has a header query (changed rows, keyset on (lastmodifieddate, id); or, for the
initial sync, keyset on id within a tranDate phase) and at most one detail query for the whole
page (lines, applications or deposit lines) — never a request per record.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

from connector import mapping

LOCAL = "'YYYY-MM-DD HH24:MI:SS'"
CURRENCY_JOIN = "LEFT JOIN currency cur ON cur.id = {alias}.currency"


@dataclass(frozen=True)
class Detail:
    query: str  # {ids} is the page's ids; {after} the keyset predicate when keyed
    key: str | None = None  # unique ascending key of the detail rows (keyset paging)
    key_column: str | None = None
    group_by: str = "document_id"
    record: str | None = None  # read per document through the REST record API (expandSubResources)


@dataclass(frozen=True)
class Joined:
    """A stream's details read in its incremental header query: one row per detail row, its columns
    aliased ``d_<name>`` (a header without details is one row without them), keyset on
    (modified, id, key) — so the details of the changed rows cost no query of their own."""

    join: str  # LEFT JOIN clause appended to the stream's source
    columns: str  # detail columns, each aliased d_<name>
    key_column: str  # unique ascending key of the detail rows
    key: str = "d_uniquekey"  # its alias in the rows


@dataclass(frozen=True)
class Stream:
    name: str
    source: str  # FROM clause
    columns: str
    where: str
    modified_column: str
    id_column: str
    mapper: Callable[[mapping.Context, dict, list[dict]], object]
    date_column: str | None = None  # splits the initial sync into recent/history
    detail: Detail | None = None
    initial: bool = True  # part of the initial sync
    pdfs: bool = False
    joined: Joined | None = None  # incremental polls read header and details together

    def select(self) -> str:
        return f"SELECT {self.columns}, TO_CHAR({self.modified_column}, {LOCAL}) AS modified FROM {self.source}"

    def changed_query(self, start: str, after: tuple[str, ...] | None, details_from: str | None = None) -> str:
        """Rows changed at or after ``start``, past the key ``after`` when given: (modified, id), or for a
        joined stream (modified, id, detail key), the detail key None when that row had no details.

        A joined stream joins the details of the rows modified at or after ``details_from`` only (when
        given): the overlap window before the high-water mark, read again on every poll, costs one
        row per record rather than one per line."""
        column, ident, joined = self.modified_column, self.id_column, self.joined
        if after is None:
            predicate = f"{column} >= TO_TIMESTAMP('{start}', {LOCAL})"
        else:
            stamp, record_id, *detail = after
            mark = f"TO_TIMESTAMP('{stamp}', {LOCAL})"
            if joined:  # a range on modified first, so an index on it serves the joined query
                within = (f" OR ({ident} = {int(record_id)} AND {joined.key_column} > {int(detail[0])})"
                          if detail and detail[0] is not None else "")
                predicate = f"{column} >= {mark} AND ({column} > {mark} OR {ident} > {int(record_id)}{within})"
            else:
                predicate = f"({column} > {mark} OR ({column} = {mark} AND {ident} > {int(record_id)}))"
        if joined is None:
            return f"{self.select()} WHERE {self.where} AND {predicate} ORDER BY {column}, {ident}"
        newer = "" if details_from is None else f" AND {column} >= TO_TIMESTAMP('{details_from}', {LOCAL})"
        return (f"SELECT {self.columns}, {joined.columns}, TO_CHAR({column}, {LOCAL}) AS modified "
                f"FROM {self.source}{joined.join}{newer} WHERE {self.where} AND {predicate} "
                f"ORDER BY {column}, {ident}, {joined.key_column}")

    def phase_predicate(self, phase: str, cutoff: str) -> str:
        if self.date_column is None:
            return "1 = 1"
        operator = ">=" if phase == "recent" else "<"
        return f"{self.date_column} {operator} TO_DATE('{cutoff}', 'YYYY-MM-DD')"

    def in_phase(self, phase: str) -> bool:
        return self.initial and (self.date_column is not None or phase == "recent")

    def initial_query(self, phase: str, cutoff: str, last_id: int, upper_id: int | None = None) -> str:
        upper = "" if upper_id is None else f"AND {self.id_column} <= {int(upper_id)} "
        return (f"{self.select()} WHERE {self.where} AND {self.phase_predicate(phase, cutoff)} "
                f"AND {self.id_column} > {int(last_id)} {upper}ORDER BY {self.id_column}")

    def high_water_query(self) -> str:
        """The newest change there is: where incremental polling starts when the initial sync starts."""
        source = self.source.split(" LEFT JOIN ")[0]
        return f"SELECT TO_CHAR(MAX({self.modified_column}), {LOCAL}) AS hw FROM {source} WHERE {self.where}"

    def count_query(self, phase: str, cutoff: str) -> str:
        return f"SELECT COUNT(*) AS n FROM {self.source} WHERE {self.where} AND {self.phase_predicate(phase, cutoff)}"

    def extent_query(self, phase: str, cutoff: str) -> str:
        """How many rows a phase has and its lowest and highest id: where its ranges are cut."""
        source = self.source.split(" LEFT JOIN ")[0]
        return (f"SELECT COUNT(*) AS n, MIN({self.id_column}) AS low, MAX({self.id_column}) AS high FROM {source} "
                f"WHERE {self.where} AND {self.phase_predicate(phase, cutoff)}")


def _transactions(alias: str = "t") -> str:
    return f"transaction {alias} {CURRENCY_JOIN.format(alias=alias)}"


# What the customer sees on the invoice: item, discount and shipping lines and each kit's own line.
# Never COGS lines (posted at cost), tax lines (tax is in the total) or kit components
# (docs/decisions/invoice-lines-what-the-customer-sees.md).
INVOICE_LINES = Detail(
    "SELECT tl.transaction AS document_id, tl.uniquekey, tl.id AS line, BUILTIN.DF(tl.item) AS item, tl.memo, "
    "tl.quantity, tl.rate, tl.foreignamount FROM transactionline tl WHERE tl.transaction IN ({ids}) "
    "AND tl.mainline = 'F' AND tl.taxline = 'F' AND tl.iscogs = 'F' AND tl.kitcomponent = 'F' AND {after} "
    "ORDER BY tl.uniquekey",
    key="uniquekey", key_column="tl.uniquekey")
APPLICATIONS = Detail(
    "SELECT l.nextdoc AS document_id, l.previousdoc AS invoice_id, l.foreignamount FROM nexttransactionlinelink l "
    "WHERE l.nextdoc IN ({ids}) AND l.linktype = 'Payment' ORDER BY l.nextdoc, l.previousdoc")
# The deposited payments are read from the REST deposit record (`payment.items[{id, deposit}]`), one GET
# per changed deposit: no public evidence shows deposit lines pointing at payments in SuiteQL
# (docs/decisions/connector-deposits.md).
DEPOSIT_RECORDS = Detail("", record="deposit")
# The same lines joined to the invoice header (incremental polls): one row per line, keyset on the line's
# uniquekey within the invoice; an invoice without visible lines is one row without d_ columns.
INVOICE_LINES_JOINED = Joined(
    " LEFT JOIN transactionline tl ON tl.transaction = t.id AND tl.mainline = 'F' AND tl.taxline = 'F' "
    "AND tl.iscogs = 'F' AND tl.kitcomponent = 'F'",
    "tl.uniquekey AS d_uniquekey, tl.id AS d_line, BUILTIN.DF(tl.item) AS d_item, tl.memo AS d_memo, "
    "tl.quantity AS d_quantity, tl.rate AS d_rate, tl.foreignamount AS d_foreignamount",
    "tl.uniquekey")
# OneWorld accounts: a transaction's subsidiary is on its main line (transaction.subsidiary is NOT_EXPOSED).
MAIN_LINE_JOIN = " LEFT JOIN transactionline ml ON ml.transaction = t.id AND ml.mainline = 'T'"

TRANSACTION_HEADER = "t.id, t.tranid, t.entity, cur.symbol AS currency_code, t.foreigntotal, t.status, t.externalid"

INVOICES = Stream(
    "invoices", _transactions() + MAIN_LINE_JOIN,
    "t.id, t.tranid, t.entity, BUILTIN.DF(t.entity) AS customer_name, cur.symbol AS currency_code, "
    "ml.subsidiary AS subsidiary, "
    "TO_CHAR(t.trandate, 'YYYY-MM-DD') AS issued_on, TO_CHAR(t.duedate, 'YYYY-MM-DD') AS due_on, t.memo, "
    "t.foreigntotal, t.foreignamountpaid, t.foreignamountunpaid, t.status, t.voided, t.externalid",
    "t.type = 'CustInvc'", "t.lastmodifieddate", "t.id", mapping.invoice, "t.trandate", INVOICE_LINES, pdfs=True,
    joined=INVOICE_LINES_JOINED)
CUSTOMERS = Stream(
    "customers", "customer c LEFT JOIN currency cur ON cur.id = c.currency",
    "c.id, c.entityid, c.companyname, c.firstname, c.lastname, c.email, cur.symbol AS currency_code, "
    "c.subsidiary, c.isinactive, c.externalid",
    "1 = 1", "c.lastmodifieddate", "c.id", mapping.customer)
PAYMENTS = Stream(
    "payments", _transactions(), TRANSACTION_HEADER, "t.type = 'CustPymt'", "t.lastmodifieddate", "t.id",
    mapping.payment, "t.trandate", APPLICATIONS)
CREDITS = Stream(
    "credits", _transactions(), TRANSACTION_HEADER, "t.type = 'CustCred'", "t.lastmodifieddate", "t.id",
    mapping.credit_memo, "t.trandate", APPLICATIONS)
DEPOSITS = Stream(
    "deposits", "transaction t", "t.id, t.tranid, t.foreigntotal, t.externalid", "t.type = 'Deposit'",
    "t.lastmodifieddate", "t.id", mapping.deposit, "t.trandate", DEPOSIT_RECORDS)
DELETIONS = Stream(
    "deletions", "deletedrecord d", "d.recordid, d.recordtypeid, d.type",
    "(d.recordtypeid = 'invoice' OR d.type = 'Invoice')", "d.deleteddate", "d.recordid", mapping.deleted,
    initial=False)

ALL = (CUSTOMERS, INVOICES, PAYMENTS, CREDITS, DEPOSITS, DELETIONS)
BY_NAME = {stream.name: stream for stream in ALL}
INITIAL = tuple(stream for stream in ALL if stream.initial)
# Accounts without OneWorld have no subsidiaries: naming one fails the whole query.
WITHOUT_SUBSIDIARY = {
    "invoices": {"source": _transactions(), "columns": INVOICES.columns.replace("ml.subsidiary AS subsidiary, ", "")},
    "customers": {"columns": CUSTOMERS.columns.replace("c.subsidiary, ", "")},
}
NON_ONEWORLD = tuple(replace(stream, **WITHOUT_SUBSIDIARY.get(stream.name, {})) for stream in ALL)


def for_account(oneworld: bool) -> tuple[Stream, ...]:
    return ALL if oneworld else NON_ONEWORLD


def initial(streams: tuple[Stream, ...]) -> tuple[Stream, ...]:
    return tuple(stream for stream in streams if stream.initial)


def record_id(stream: Stream, row: dict) -> str:
    return row.get("recordid" if stream is DELETIONS else "id", "")


def split_joined(row: dict) -> tuple[dict, dict | None]:
    """A joined row as (header row, detail row or None): the d_ columns are the detail's."""
    header = {name: value for name, value in row.items() if not name.startswith("d_")}
    if len(header) == len(row):
        return header, None
    return header, {name[2:]: value for name, value in row.items() if name.startswith("d_")}
