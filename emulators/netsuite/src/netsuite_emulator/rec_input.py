"""Request bodies: property names are matched case-insensitively, values are validated."""

import re
from datetime import date
from decimal import Decimal, InvalidOperation

from netsuite_emulator.errors import user_error

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def invalid_value(value, name: str):
    return user_error(f"You have entered an Invalid Field Value {value} for the following field: {name}")


class Body:
    def __init__(self, data):
        if not isinstance(data, dict):
            raise user_error("Invalid request body: a JSON object is expected.")
        self.data = {key.lower(): value for key, value in data.items()}

    def has(self, name: str) -> bool:
        return name.lower() in self.data

    def raw(self, name: str):
        return self.data.get(name.lower())

    def text(self, name: str) -> str | None:
        value = self.raw(name)
        return None if value is None else str(value)

    def decimal(self, name: str) -> Decimal | None:
        value = self.raw(name)
        if value is None:
            return None
        if isinstance(value, bool):
            raise invalid_value(value, name)
        try:
            return Decimal(str(value)).quantize(Decimal("0.01"))
        except InvalidOperation as error:
            raise invalid_value(value, name) from error

    def boolean(self, name: str) -> bool | None:
        value = self.raw(name)
        if value is None or isinstance(value, bool):
            return value
        text = str(value).lower()
        if text in ("true", "t"):
            return True
        if text in ("false", "f"):
            return False
        raise invalid_value(value, name)

    def ref_id(self, name: str) -> int | None:
        value = self.raw(name)
        if isinstance(value, dict):
            value = {key.lower(): item for key, item in value.items()}.get("id")
        if value is None:
            return None
        try:
            return int(str(value))
        except ValueError as error:
            raise invalid_value(value, name) from error

    def date(self, name: str) -> str | None:
        value = self.raw(name)
        if value is None:
            return None
        text = str(value)[:10]
        try:
            date.fromisoformat(text)
        except ValueError as error:
            raise invalid_value(value, name) from error
        if not _DATE.match(text):
            raise invalid_value(value, name)
        return text

    def sublist(self, name: str) -> list["Body"] | None:
        value = self.raw(name)
        if value is None:
            return None
        if isinstance(value, dict):
            value = {key.lower(): item for key, item in value.items()}.get("items", [])
        if not isinstance(value, list):
            raise invalid_value(value, name)
        return [Body(line) for line in value]
