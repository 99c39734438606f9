"""Translates SuiteQL (Oracle dialect) to sqlite with sqlglot, swapping Oracle functions for the
Python functions of sql_functions and resolving BUILTIN.DF / BUILTIN.CF, ROWNUM and compound statuses."""

from dataclasses import dataclass

import sqlglot
from sqlglot import exp
from sqlglot.dialects.oracle import Oracle
from sqlglot.time import format_time

TABLES = {"transaction", "transactionline", "customer", "account", "subsidiary", "currency", "item",
          "deletedrecord", "nexttransactionlinelink"}
DATE_COLUMNS = {"trandate", "duedate", "closedate", "linkdate", "startdate", "enddate"}
DATETIME_COLUMNS = {"lastmodifieddate", "createddate", "datecreated", "deleteddate", "linelastmodifieddate"}
DF_KINDS = {"entity": "customer", "customer": "customer", "currency": "currency", "subsidiary": "subsidiary",
            "account": "account", "incomeaccount": "account", "item": "item", "parent": "subsidiary"}
TRANSACTION_REFS = {"transaction", "previousdoc", "nextdoc", "createdfrom"}
DATE_FUNCTIONS = {"NS_TO_DATE", "NS_TO_TIMESTAMP", "NS_SYSDATE", "NS_DATE_ADD", "NS_ADD_MONTHS"}


@dataclass
class Translation:
    sql: str
    date_columns: set[str]  # output names rendered as dates; "*" means decide by column name
    count_sql: str = ""


def _call(name: str, *args) -> exp.Anonymous:
    return exp.Anonymous(this=name, expressions=[arg for arg in args if arg is not None])


def _is_column(node, names: set[str]) -> bool:
    return isinstance(node, exp.Column) and node.name.lower() in names


def _dateish(node) -> bool:
    if isinstance(node, exp.Anonymous) and node.name.upper() in DATE_FUNCTIONS:
        return True
    return _is_column(node, DATE_COLUMNS | DATETIME_COLUMNS) or isinstance(
        node, (exp.StrToDate, exp.StrToTime, exp.CurrentTimestamp, exp.CurrentDate))


def _sibling(column: exp.Column, name: str) -> exp.Column:
    return exp.column(name, table=column.table or None)


def _builtin(node: exp.Dot):
    function = node.expression
    argument = function.expressions[0] if function.expressions else None
    if not isinstance(argument, exp.Column):
        return argument
    name = argument.name.lower()
    if function.name.upper() == "CF":
        return _call("NS_CF_STATUS", _sibling(argument, "type"), argument) if name == "status" else argument
    if name == "status":
        return _call("NS_DF_STATUS", _sibling(argument, "type"), argument)
    if name == "type":
        return _call("NS_DF_TYPE", argument)
    if name in TRANSACTION_REFS:
        lookup = sqlglot.parse_one('SELECT _df.tranid FROM "transaction" AS _df WHERE _df.id = 0', read="sqlite")
        lookup.find(exp.EQ).set("expression", argument.copy())
        return exp.Subquery(this=lookup)
    if name in DF_KINDS:
        return _call("NS_DF", exp.Literal.string(DF_KINDS[name]), argument)
    return argument


def _compound_status(node):
    """`t.status = 'CustInvc:A'` compares the type-qualified status."""
    column, values = (node.this, node.expressions) if isinstance(node, exp.In) else (node.this, [node.expression])
    if _is_column(column, {"status"}) and values and all(
            isinstance(value, exp.Literal) and ":" in value.this for value in values):
        concat = exp.DPipe(this=exp.DPipe(this=_sibling(column, "type"), expression=exp.Literal.string(":")),
                           expression=column.copy())
        node.set("this", exp.Paren(this=concat))
    return node


def _comparison(node):
    """TO_DATE compared with a datetime column means local midnight, like TO_TIMESTAMP."""
    for side, other in (("this", "expression"), ("expression", "this")):
        if _is_column(node.args.get(other), DATETIME_COLUMNS) and isinstance(node.args.get(side), exp.StrToDate):
            target = node.args[side]
            node.set(side, _call("NS_TO_TIMESTAMP", target.this, target.args.get("format")))
    return node


def _oracle_model(strftime_literal):
    """sqlglot already turned this TO_CHAR model into strftime; turn it back into Oracle's."""
    if not isinstance(strftime_literal, exp.Literal):
        return strftime_literal
    model = format_time(strftime_literal.this, Oracle.INVERSE_TIME_MAPPING, Oracle.INVERSE_TIME_TRIE)
    return exp.Literal.string(model.replace("%p", "AM"))


def _rewrite(node):
    if isinstance(node, exp.Dot) and isinstance(node.expression, exp.Anonymous) and node.this.name.upper() == "BUILTIN":
        return _builtin(node)
    if isinstance(node, (exp.EQ, exp.NEQ, exp.In)):
        node = _compound_status(node)
    if isinstance(node, (exp.EQ, exp.NEQ, exp.GT, exp.GTE, exp.LT, exp.LTE)):
        node = _comparison(node)
    if isinstance(node, exp.ToChar):
        return _call("NS_TO_CHAR", node.this, node.args.get("format"))
    if isinstance(node, exp.TimeToStr):  # TO_CHAR of an expression sqlglot knows to be a date
        return _call("NS_TO_CHAR", node.this, _oracle_model(node.args.get("format")))
    if isinstance(node, exp.StrToTime):
        return _call("NS_TO_TIMESTAMP", node.this, node.args.get("format"))
    if isinstance(node, exp.StrToDate):
        return _call("NS_TO_DATE", node.this, node.args.get("format"))
    if isinstance(node, (exp.CurrentTimestamp, exp.CurrentDate)):
        return _call("NS_SYSDATE")
    if isinstance(node, exp.AddMonths):
        return _call("NS_ADD_MONTHS", node.this, node.expression)
    if isinstance(node, exp.DateTrunc):
        return _call("NS_TRUNC", node.this)
    if isinstance(node, (exp.Add, exp.Sub)) and _dateish(node.this):
        if isinstance(node, exp.Sub) and _dateish(node.expression):
            return _call("NS_DATE_DIFF", node.this, node.expression)
        days = node.expression if isinstance(node, exp.Add) else exp.Neg(this=node.expression)
        return _call("NS_DATE_ADD", node.this, days)
    return node
