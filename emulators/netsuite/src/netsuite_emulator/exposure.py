"""Which SuiteQL columns real NetSuite exposes, and how it refuses the others.

The emulator's tables hold a few columns only its record API needs (`transaction.account`,
`transaction.undepfunds`, `transactionline.sublist`, ...) and header columns NetSuite keeps
on the lines. SuiteQL sees only the allowlist below; a refused column answers NetSuite's own
text. Sources for every entry: docs/netsuite-evidence.md (emulator exposure table).
"""

from dataclasses import dataclass

from sqlglot import exp

from netsuite_emulator.errors import invalid_search

NOT_EXPOSED = "NOT_EXPOSED - Not available for channel SEARCH"
REMOVED = "REMOVED - Field is removed"

EXPOSED = {
    "currency": {"id", "name", "symbol", "isbasecurrency", "exchangerate", "isinactive", "lastmodifieddate"},
    "subsidiary": {"id", "name", "fullname", "legalname", "currency", "country", "parent", "isinactive",
                   "iselimination", "lastmodifieddate"},
    "account": {"id", "acctnumber", "accountsearchdisplayname", "fullname", "displaynamewithhierarchy", "accttype",
                "sspecacct", "description", "isinactive", "currency", "subsidiary", "externalid", "lastmodifieddate"},
    "item": {"id", "itemid", "displayname", "fullname", "itemtype", "description", "baseprice", "incomeaccount",
             "isinactive", "lastmodifieddate"},
    "customer": {"id", "entityid", "companyname", "isperson", "firstname", "lastname", "email", "phone", "currency",
                 "subsidiary", "terms", "isinactive", "datecreated", "lastmodifieddate", "externalid"},
    "transaction": {"id", "tranid", "transactionnumber", "type", "recordtype", "abbrevtype", "entity", "trandate",
                    "duedate", "createddate", "lastmodifieddate", "status", "currency", "exchangerate",
                    "foreigntotal", "foreignamountpaid", "foreignamountunpaid", "foreignpaymentamountused",
                    "foreignpaymentamountunused", "memo", "otherrefnum", "externalid", "voided", "posting"},
    "transactionline": {"uniquekey", "transaction", "id", "linesequencenumber", "mainline", "taxline", "item",
                        "quantity", "rate", "foreignamount", "netamount", "memo", "entity", "subsidiary", "account",
                        "createdfrom", "linelastmodifieddate", "iscogs", "transactiondiscount", "itemtype",
                        "kitcomponent", "assemblycomponent"},
    "nexttransactionlinelink": {"previousdoc", "previousline", "previoustype", "nextdoc", "nextline", "nexttype",
                                "linktype", "foreignamount", "lastmodifieddate"},
    "deletedrecord": {"recordid", "recordtypeid", "scriptid", "name", "type", "context", "deletedby",
                      "deleteddate", "iscustomlist", "iscustomrecord", "iscustomtransaction"},
}
# (table, column) -> NetSuite's reason (None: "was not found" without one). A column in neither
# map is an "Unknown identifier", as NetSuite answers for names it does not know at all.
REFUSED = {
    ("transaction", "mainline"): None,
    ("transaction", "subsidiary"): NOT_EXPOSED,
    ("transaction", "location"): REMOVED,
    ("transaction", "createdfrom"): REMOVED,
    ("nexttransactionlinelink", "linkdate"): None,  # guess: absent from every public column list
}
SUBSIDIARY_COLUMNS = {("account", "subsidiary"), ("customer", "subsidiary"), ("transactionline", "subsidiary")}


@dataclass(frozen=True)
class Exposure:
    """What one account's role can see: OneWorld or not, and the records it lacks permission for."""

    oneworld: bool = True
    missing: frozenset = frozenset()

    def check_table(self, name: str) -> None:
        if name == "subsidiary" and not self.oneworld or name in self.missing:
            raise invalid_search(f"Record '{name}' was not found.")

    def check_column(self, table: str, column: str, scope: dict[str, str]) -> None:
        hidden = not self.oneworld and (table, column) in SUBSIDIARY_COLUMNS
        if column in EXPOSED.get(table, {column}) and not hidden:
            return
        if (table, column) in REFUSED and not hidden:
            reason = REFUSED[(table, column)]
            suffix = f" Reason: {reason}" if reason else ""
            raise invalid_search(f"Field '{column}' for record '{table}' was not found.{suffix}")
        identifiers = ", ".join(f"{alias}={name}" for alias, name in scope.items())
        raise invalid_search(f"Unknown identifier '{column}'. Available identifiers are: {{{identifiers}}}.")


def _scope(select: exp.Select) -> dict[str, str]:
    """alias -> table for the tables named directly in this SELECT's FROM and JOINs."""
    sources = [select.args.get("from_")] + list(select.args.get("joins") or [])
    scope = {}
    for source in sources:
        table = source.this if source is not None else None
        if isinstance(table, exp.Table) and table.name:
            scope[(table.alias_or_name or table.name).lower()] = table.name.lower()
    return scope


def _outputs(select: exp.Select) -> set[str]:
    return {projection.alias.lower() for projection in select.expressions if isinstance(projection, exp.Alias)}


def check(tree, exposure: Exposure) -> None:
    """Refuse what NetSuite refuses, before the query runs; raises NetSuiteError."""
    for table in tree.find_all(exp.Table):
        exposure.check_table(table.name.lower())
    aliases: dict[str, str] = {}
    for select in tree.find_all(exp.Select):
        aliases.update(_scope(select))
    for column in tree.find_all(exp.Column):
        if isinstance(column.this, exp.Star):
            continue
        _check_one(column, aliases, exposure)


def _check_one(column: exp.Column, aliases: dict[str, str], exposure: Exposure) -> None:
    name = column.name.lower()
    if column.table:
        table = aliases.get(column.table.lower())
        if table is not None:
            exposure.check_column(table, name, aliases)
        return
    select = column.find_ancestor(exp.Select)
    scope = _scope(select) if select is not None else {}
    if len(scope) == 1 and name not in ("rownum", "builtin", "sysdate") and name not in _outputs(select):
        exposure.check_column(next(iter(scope.values())), name, scope)

