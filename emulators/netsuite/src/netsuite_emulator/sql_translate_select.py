"""The select-level parts of the SuiteQL translation: ROWNUM, output names, date columns."""

import sqlglot
from sqlglot import exp
from sqlglot.dialects.sqlite import SQLite
from sqlglot.errors import SqlglotError

from netsuite_emulator import exposure
from netsuite_emulator.errors import invalid_search
from netsuite_emulator.sql_translate import (DATE_COLUMNS, DATETIME_COLUMNS, DATE_FUNCTIONS, TABLES,
                                             Translation, _rewrite)


class BracketSQLite(SQLite):
    """sqlite with [identifier] quoting: a "double-quoted" unknown column would silently become a
    string literal in sqlite, hiding the error NetSuite reports."""

    class Tokenizer(SQLite.Tokenizer):
        IDENTIFIERS = [("[", "]")]


def _rownum_limit(select: exp.Select) -> None:
    where = select.args.get("where")
    if where is None:
        return
    kept, limit = [], None
    for condition in where.this.flatten() if isinstance(where.this, exp.And) else [where.this]:
        bound = _rownum_bound(condition)
        if bound is None:
            kept.append(condition)
        else:
            limit = bound if limit is None else min(limit, bound)
    if limit is None:
        return
    select.set("where", exp.Where(this=exp.and_(*kept)) if kept else None)
    existing = select.args.get("limit")
    if existing is None or int(existing.expression.this) > limit:
        select.limit(limit, copy=False)


def _rownum_bound(condition) -> int | None:
    if not isinstance(condition, (exp.LTE, exp.LT, exp.EQ)):
        return None
    if not (isinstance(condition.this, exp.Column) and condition.this.name.upper() == "ROWNUM"):
        return None
    if not isinstance(condition.expression, exp.Literal) or condition.expression.is_string:
        return None
    value = int(condition.expression.this)
    return value - 1 if isinstance(condition, exp.LT) else (1 if isinstance(condition, exp.EQ) else value)


def _is_date_output(node) -> bool:
    if isinstance(node, exp.Column):
        return node.name.lower() in DATE_COLUMNS | DATETIME_COLUMNS
    if isinstance(node, (exp.Max, exp.Min)):
        return _is_date_output(node.this)
    return isinstance(node, exp.Anonymous) and node.name.upper() in DATE_FUNCTIONS | {"NS_TRUNC"}


def _name_outputs(select: exp.Select) -> set[str]:
    dates, counter = set(), 0
    outputs = []
    for projection in select.expressions:
        if isinstance(projection, exp.Star) or (isinstance(projection, exp.Column) and isinstance(projection.this, exp.Star)):
            dates.add("*")
            outputs.append(projection)
            continue
        inner = projection.this if isinstance(projection, exp.Alias) else projection
        if isinstance(projection, exp.Alias):
            name = projection.alias
        elif isinstance(projection, exp.Column):
            name = projection.name
        elif isinstance(projection, exp.Window) and isinstance(projection.this, exp.RowNumber):
            name = "rownum"
        else:
            counter += 1
            name = f"expr{counter}"
        if _is_date_output(inner):
            dates.add(name.lower())
        outputs.append(exp.alias_(inner, name.lower(), quoted=True))
    select.set("expressions", outputs)
    return dates


def _check_tables(tree) -> None:
    for table in tree.find_all(exp.Table):
        if table.name.lower() not in TABLES:
            raise invalid_search(f"Record '{table.name}' was not found.")


def translate(query: str, seen_by: exposure.Exposure = exposure.Exposure()) -> Translation:
    try:
        tree = sqlglot.parse_one(query.strip().rstrip(";"), read="oracle")
    except SqlglotError as error:
        raise invalid_search(f"Syntax error: {str(error).splitlines()[0]}") from None
    if not isinstance(tree, (exp.Select, exp.SetOperation)):
        raise invalid_search("Only SELECT statements are allowed.")
    _check_tables(tree)
    exposure.check(tree, seen_by)
    for select in tree.find_all(exp.Select):
        _rownum_limit(select)
    for column in list(tree.find_all(exp.Column)):
        if column.name.upper() == "ROWNUM" and not column.table:
            column.replace(exp.Window(this=exp.RowNumber()))
    # Two passes: a node replaced in the first pass can still hold Oracle nodes below it.
    tree = tree.transform(_rewrite).transform(_rewrite)
    outermost = tree if isinstance(tree, exp.Select) else tree.find(exp.Select)
    dates = _name_outputs(outermost)
    try:
        sql = tree.sql(dialect=BracketSQLite, identify=True)
    except SqlglotError as error:
        raise invalid_search(f"Unsupported construct: {str(error).splitlines()[0]}") from None
    return Translation(sql, dates, _count_sql(tree, sql))


def _count_sql(tree, sql: str) -> str:
    """COUNT(*) over the query; projections are dropped when they cannot change the row count,
    so the Python functions in them do not run for every row."""
    simple = (isinstance(tree, exp.Select) and not tree.args.get("distinct") and not tree.args.get("group")
              and not any(tree.find_all(exp.AggFunc)) and not any(tree.find_all(exp.Window)))
    if not simple:
        return f"SELECT COUNT(*) FROM ({sql})"
    stripped = tree.copy()
    stripped.set("expressions", [exp.Literal.number(1)])
    stripped.set("order", None)  # with or without a LIMIT, the order cannot change the count
    return f"SELECT COUNT(*) FROM ({stripped.sql(dialect=BracketSQLite, identify=True)})"
