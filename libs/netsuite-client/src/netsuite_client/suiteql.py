"""SuiteQL over REST: single pages, full results, and an iterator that passes the row cap.

NetSuite serves at most 100,000 rows of one query through offset paging. ``iterate`` reads a
*window* of rows by offset paging, then restarts the query with a keyset predicate after the
last key seen. For that the query must contain the placeholder ``{after}`` where a predicate
may go, and be ordered ascending by a unique key, e.g.::

    SELECT id, tranid FROM transaction WHERE type = 'CustInvc' AND {after} ORDER BY id

``{after}`` becomes ``1 = 1`` for the first window and ``id > <last id>`` afterwards, so no row
is skipped or repeated across windows. Without ``{after}`` a capped result raises instead of
being silently truncated. Rows are NetSuite's dicts of strings (lower-cased keys) without the
per-row ``links``.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .errors import PermanentNetSuiteError

if TYPE_CHECKING:
    from .client import NetSuiteClient

AFTER = "{after}"
NETSUITE_ROW_CAP = 100_000
_INTEGER = re.compile(r"^-?\d+$")

Row = dict[str, str]


@dataclass(frozen=True)
class SuiteQLPage:
    """One page of a SuiteQL result with NetSuite's paging envelope."""

    items: list[Row]
    has_more: bool
    offset: int
    count: int
    total_results: int | None

    @property
    def truncated(self) -> bool:
        """NetSuite stopped at its row cap: no more pages, yet more rows exist."""
        if self.has_more or self.total_results is None:
            return False
        return self.offset + self.count < self.total_results


def keyset_predicate(column: str, value: str) -> str:
    """``column > value``, numeric when the value is an integer, else a quoted literal."""
    literal = value if _INTEGER.match(value) else "'" + value.replace("'", "''") + "'"
    return f"{column} > {literal}"


class SuiteQL:
    """SuiteQL operations of one client (``client.suiteql``)."""

    def __init__(self, client: NetSuiteClient) -> None:
        self._client = client

    async def query_page(self, query: str, *, limit: int = 1000, offset: int = 0) -> SuiteQLPage:
        """One page (``limit`` <= 1000; ``offset`` a multiple of ``limit``)."""
        response = await self._client.request(
            "POST",
            self._client.rest_url("/query/v1/suiteql"),
            params={"limit": limit, "offset": offset},
            json={"q": query},
            headers={"Prefer": "transient"},
            idempotent=True,
        )
        body = response.json()
        del response  # the page's bytes go as soon as they are parsed
        items = body.get("items", [])
        for row in items:  # in place: a page's rows are never held twice
            row.pop("links", None)
        total = body.get("totalResults")
        return SuiteQLPage(
            items=items,
            has_more=bool(body.get("hasMore")),
            offset=int(body.get("offset", offset)),
            count=int(body.get("count", len(items))),
            total_results=int(total) if total is not None else None,
        )

    async def query_all(self, query: str, **options: object) -> list[Row]:
        """Every row of the query, as a list (see ``iterate`` for the options)."""
        return [row async for row in self.iterate(query, **options)]  # type: ignore[arg-type]

    async def iterate(
        self,
        query: str,
        *,
        key: str = "id",
        key_column: str | None = None,
        page_size: int = 1000,
        window_rows: int = NETSUITE_ROW_CAP,
    ) -> AsyncIterator[Row]:
        """Yield every row, paging by offset within windows of ``window_rows`` rows.

        ``key`` is the row field holding the unique ascending sort key, ``key_column`` the SQL
        expression for it (default: ``key``). ``window_rows=page_size`` gives pure keyset paging,
        which is also safe against rows deleted while paging.
        """
        keyset = AFTER in query
        column = key_column or key
        after: str | None = None
        while True:
            text = query.replace(AFTER, keyset_predicate(column, after) if after else "1 = 1")
            last_page, last_key, rows = None, None, 0
            async for page in self._window(text, page_size, window_rows):
                for row in page.items:
                    if keyset:
                        last_key = self._next_key(row, key, last_key or after)
                    yield row
                last_page, rows = page, rows + page.count
            more = last_page is not None and (last_page.has_more or last_page.truncated)
            if not keyset:
                if more:
                    raise PermanentNetSuiteError(
                        "SuiteQL result exceeds the row cap; add an {after} keyset placeholder",
                        code="ROW_CAP",
                    )
                return
            # A window that reached window_rows may have been cut by the cap even if the
            # envelope does not say so; one more keyset query settles it.
            if last_key is None or not (more or rows >= window_rows):
                return
            after = last_key

    async def _window(self, query: str, page_size: int, window_rows: int) -> AsyncIterator[SuiteQLPage]:
        offset = 0
        while True:
            page = await self.query_page(query, limit=page_size, offset=offset)
            yield page
            offset += page_size
            if not page.has_more or not page.items or offset + page_size > window_rows:
                return

    @staticmethod
    def _next_key(row: Row, key: str, previous: str | None) -> str:
        value = row.get(key)
        if value is None:
            raise PermanentNetSuiteError(f"SuiteQL row has no keyset field {key!r}", code="KEYSET")
        if previous is not None and _INTEGER.match(value) and _INTEGER.match(previous):
            if int(value) <= int(previous):
                raise PermanentNetSuiteError(
                    f"SuiteQL rows not in ascending unique {key!r} order", code="KEYSET"
                )
        return value
