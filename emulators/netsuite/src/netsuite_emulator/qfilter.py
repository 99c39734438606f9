"""The record collection `q` filter: `<field> <OPERATOR> <value>` joined by AND / OR, parentheses,
translated to SQL. Date literals are parsed in the user's date format and time zone."""

import re
from datetime import timedelta

from netsuite_emulator import clock
from netsuite_emulator.accounts import Account
from netsuite_emulator.errors import SEARCH_PREFIX, invalid_parameter
from netsuite_emulator.userformat import parse_user_datetime

TOKEN = re.compile(r"""\s*(?:(?P<punct>[()\[\],])|"(?P<dq>[^"]*)"|'(?P<sq>[^']*)'|(?P<num>-?\d+(?:\.\d+)?)(?![\w.])|(?P<word>[A-Za-z_][\w.:/-]*))""")
COMPARISONS = {"EQUAL": "=", "GREATER": ">", "GREATER_OR_EQUAL": ">=", "LESS": "<", "LESS_OR_EQUAL": "<="}
NO_VALUE = {"EMPTY", "EMPTY_NOT"}


def _error(reason: str):
    return invalid_parameter(SEARCH_PREFIX + reason, "q")


def tokenize(text: str) -> list[tuple[str, str]]:
    tokens, position = [], 0
    while position < len(text.rstrip()):
        match = TOKEN.match(text, position)
        if not match or match.end() == position:
            raise _error(f"Unexpected character at position {position}.")
        kind = match.lastgroup
        value = match.group(kind)
        tokens.append(("str" if kind in ("dq", "sq") else kind, value))
        position = match.end()
    return tokens


class Parser:
    def __init__(self, text: str, fields: dict, account: Account):
        self.tokens = tokenize(text)
        self.position = 0
        self.fields = fields
        self.account = account
        self.params: list = []

    def peek(self):
        return self.tokens[self.position] if self.position < len(self.tokens) else (None, None)

    def take(self):
        token = self.peek()
        self.position += 1
        return token

    def parse(self) -> str:
        sql = self.expression()
        if self.position != len(self.tokens):
            raise _error(f"Unexpected token '{self.peek()[1]}'.")
        return sql

    def expression(self) -> str:
        parts = [self.term()]
        while self.peek()[0] == "word" and self.peek()[1].upper() == "OR":
            self.take()
            parts.append(self.term())
        return "(" + " OR ".join(parts) + ")"

    def term(self) -> str:
        parts = [self.factor()]
        while self.peek()[0] == "word" and self.peek()[1].upper() == "AND":
            self.take()
            parts.append(self.factor())
        return "(" + " AND ".join(parts) + ")"

    def factor(self) -> str:
        if self.peek() == ("punct", "("):
            self.take()
            sql = self.expression()
            if self.take() != ("punct", ")"):
                raise _error("Missing ')'.")
            return sql
        kind, name = self.take()
        if kind != "word":
            raise _error(f"Unexpected token '{name}'.")
        if name.lower() not in self.fields:
            available = ", ".join(sorted(self.fields))
            raise _error(f"Unknown identifier '{name}'. Available identifiers are: {{{available}}}")
        column, field_type = self.fields[name.lower()]
        operator = (self.take()[1] or "").upper()
        values = [] if operator in NO_VALUE else self.values()
        return self.condition(f'"{column}"', field_type, operator, values)

    def values(self) -> list[str]:
        bracketed = self.peek() == ("punct", "[")
        if bracketed:
            self.take()
        values = [self.value()]
        while self.peek() == ("punct", ","):
            self.take()
            values.append(self.value())
        if bracketed and self.take() != ("punct", "]"):
            raise _error("Missing ']'.")
        return values

    def value(self) -> str:
        kind, value = self.take()
        if kind not in ("str", "num", "word"):
            raise _error("A value is expected.")
        return value

    def condition(self, column: str, field_type: str, operator: str, values: list[str]) -> str:
        negate = operator.endswith("_NOT") and operator not in ("IS_NOT",)
        base = operator[:-4] if negate else operator
        if base == "EMPTY":
            sql = f"({column} IS NULL OR {column} = '')"
        elif field_type in ("datetime", "date"):
            sql = self.date_condition(column, field_type, base, values)
        else:
            sql = self.plain_condition(column, field_type, operator, base, values)
        return f"NOT {sql}" if negate and operator != "IS_NOT" else sql

    def plain_condition(self, column, field_type, operator, base, values) -> str:
        if field_type == "boolean" and base in ("IS", "IS_NOT"):
            flag = "T" if (values[0].lower() in ("true", "t")) == (operator == "IS") else "F"
            self.params.append(flag)
            return f"{column} = ?"
        if field_type == "number" and base in COMPARISONS | {"ANY_OF": 0, "BETWEEN": 0, "WITHIN": 0}:
            numbers = [float(value) if "." in value else int(value) for value in values if _numeric(value)]
            if len(numbers) != len(values):
                raise _error(f"Invalid number value '{values}'.")
            self.params.extend(numbers)
            if base == "ANY_OF":
                return f"{column} IN ({', '.join('?' * len(numbers))})"
            if base in ("BETWEEN", "WITHIN"):
                return f"{column} BETWEEN ? AND ?"
            return f"{column} {COMPARISONS[base]} ?"
        if field_type == "string":
            patterns = {"IS": "{}", "IS_NOT": "{}", "CONTAIN": "%{}%", "START_WITH": "{}%", "END_WITH": "%{}"}
            if base in patterns:
                self.params.append(patterns[base].format(values[0]))
                return f"{column} {'NOT LIKE' if operator == 'IS_NOT' else 'LIKE'} ?"
        raise _error(f"Invalid operator '{operator}' for field type {field_type}.")

    def date_condition(self, column, field_type, base, values) -> str:
        start, end = self.date_range(values[0], field_type)
        if base == "WITHIN" and len(values) == 2:
            end = self.date_range(values[1], field_type)[1]
            base = "WITHIN"
        conditions = {"AFTER": f"{column} >= ?", "BEFORE": f"{column} < ?", "ON_OR_AFTER": f"{column} >= ?",
                      "ON_OR_BEFORE": f"{column} < ?"}
        bounds = {"AFTER": [end], "BEFORE": [start], "ON_OR_AFTER": [start], "ON_OR_BEFORE": [end]}
        if base in ("ON", "WITHIN"):
            self.params.extend([start, end])
            return f"({column} >= ? AND {column} < ?)"
        if base not in conditions:
            raise _error(f"Invalid operator '{base}' for a date field.")
        self.params.extend(bounds[base])
        return conditions[base]

    def date_range(self, literal: str, field_type: str) -> tuple[str, str]:
        try:
            moment, has_time = parse_user_datetime(literal, self.account.date_format)
        except ValueError:
            raise invalid_parameter(f'{SEARCH_PREFIX}Unparseable date: "{literal}"', "q") from None
        if field_type == "date":
            day = moment.date()
            return day.isoformat(), (day + timedelta(days=1)).isoformat()
        width = timedelta(seconds=1 if moment.second else 60) if has_time else timedelta(days=1)
        start = clock.local_to_utc(moment, self.account.timezone)
        end = clock.local_to_utc(moment + width, self.account.timezone)
        return clock.to_db(start), clock.to_db(end)


def _numeric(value: str) -> bool:
    return re.fullmatch(r"-?\d+(\.\d+)?", value) is not None


def to_sql(text: str, fields: dict, account: Account) -> tuple[str, list]:
    parser = Parser(text, fields, account)
    return parser.parse(), parser.params
