"""POST /query/v1/suiteql: runs a translated query and answers NetSuite's paged envelope."""

import json
import sqlite3

from starlette.responses import Response

from netsuite_emulator import sql_functions
from netsuite_emulator.errors import NetSuiteError, invalid_parameter, invalid_search
from netsuite_emulator.rec_shape import COLLECTION_CONTENT_TYPE, Ctx
from netsuite_emulator.sql_translate import DATE_COLUMNS, DATETIME_COLUMNS
from netsuite_emulator.sql_translate_select import translate
from netsuite_emulator.suiteql_values import render

MAX_LIMIT = 1000


def _paging(query: dict) -> tuple[int, int]:
    try:
        limit = int(query.get("limit", MAX_LIMIT))
        offset = int(query.get("offset", 0))
    except ValueError:
        raise invalid_parameter("The limit and offset query parameters must be integers.") from None
    if not 1 <= limit <= MAX_LIMIT:
        raise invalid_parameter(f"The value of the 'limit' query parameter must be between 1 and {MAX_LIMIT}.", "limit")
    if offset < 0:
        raise invalid_parameter("The value of the 'offset' query parameter must not be negative.", "offset")
    return limit, offset


def _query_text(raw: bytes) -> str:
    try:
        body = json.loads(raw or b"{}")
    except ValueError:
        raise NetSuiteError(400, "INVALID_CONTENT", "The request body is not valid JSON.") from None
    text = body.get("q") if isinstance(body, dict) else None
    if not isinstance(text, str) or not text.strip():
        raise invalid_parameter("The request body must contain a SuiteQL query in the 'q' property.")
    return text


def _execute(ctx: Ctx, sql: str, params=()):
    store = ctx.store
    sql_functions.register(store.conn, ctx.account, store.lookup_cache)
    try:
        return store.conn.execute(sql, params)
    except sqlite3.OperationalError as error:
        message = str(error)
        if message.startswith("no such column: "):
            raise invalid_search(f"Unknown identifier '{message[16:]}'.") from None
        raise invalid_search(message) from None
    except (sqlite3.Error, ValueError, OverflowError) as error:
        raise invalid_search(str(error)) from None


def _count(ctx: Ctx, count_sql: str) -> int:
    key = (count_sql, ctx.store.generation)
    if key not in ctx.store.count_cache:
        ctx.store.count_cache.clear()
        ctx.store.count_cache[key] = _execute(ctx, count_sql).fetchone()[0]
    return ctx.store.count_cache[key]


def _rows(ctx: Ctx, cursor, date_columns: set[str]) -> list[dict]:
    names = [description[0].lower() for description in cursor.description]
    by_name = "*" in date_columns
    as_date = [name in date_columns or (by_name and name in DATE_COLUMNS | DATETIME_COLUMNS) for name in names]
    account = ctx.account
    items = []
    for row in cursor:
        item = {"links": []}
        for name, value, is_date in zip(names, row, as_date):
            text = render(value, is_date, account.date_format, account.timezone)
            if text is not None:
                item[name] = text
        items.append(item)
    return items


def _link(ctx: Ctx, rel: str, limit: int, offset: int) -> dict:
    return {"rel": rel, "href": f"{ctx.target.rest_base}/query/v1/suiteql?limit={limit}&offset={offset}"}


def run(ctx: Ctx, raw_body: bytes) -> Response:
    limit, offset = _paging(ctx.query)
    translation = translate(_query_text(raw_body), ctx.account.exposure())
    total = _count(ctx, translation.count_sql)
    cap = ctx.account.suiteql_row_cap
    reachable = min(total, cap)
    items = []
    if offset < reachable:
        page = min(limit, cap - offset)
        cursor = _execute(ctx, f"SELECT * FROM ({translation.sql}) LIMIT ? OFFSET ?", (page, offset))
        items = _rows(ctx, cursor, translation.date_columns)
    has_more = offset + len(items) < reachable
    links = [_link(ctx, "next", limit, offset + limit)] if has_more else []
    if offset > 0:
        links.append(_link(ctx, "previous", limit, max(0, offset - limit)))
    links.append(_link(ctx, "first", limit, 0))
    links.append(_link(ctx, "last", limit, max(0, (reachable - 1) // limit * limit)))
    links.append(_link(ctx, "self", limit, offset))
    envelope = {"links": links, "count": len(items), "hasMore": has_more, "items": items, "offset": offset,
                "totalResults": total}
    return Response(json.dumps(envelope), 200, media_type=COLLECTION_CONTENT_TYPE)
