"""GET /record/v1/<type>: the paged list envelope with absolute links and the `q` filter."""

from urllib.parse import urlencode

from netsuite_emulator import qfilter
from netsuite_emulator.errors import invalid_parameter
from netsuite_emulator.rec_shape import Ctx, self_links
from netsuite_emulator.record_types import RecordType

MAX_LIMIT = 1000


def _int_param(query: dict, name: str, default: int) -> int:
    raw = query.get(name)
    if raw is None:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise invalid_parameter(f"Invalid value for query parameter '{name}': {raw}.", name) from None
    if value < 0 or (name == "limit" and not 1 <= value <= MAX_LIMIT):
        raise invalid_parameter(f"The value of the '{name}' query parameter is out of range: {raw}.", name)
    return value


def _page_href(ctx: Ctx, path: str, query: dict, limit: int, offset: int) -> str:
    params = {key: value for key, value in query.items() if key not in ("limit", "offset")}
    return f"{path}?{urlencode({**params, 'limit': limit, 'offset': offset})}"


def list_records(ctx: Ctx, record_type: RecordType) -> dict:
    query = ctx.query
    limit = _int_param(query, "limit", MAX_LIMIT)
    offset = _int_param(query, "offset", 0)
    where, params = "1 = 1", []
    if record_type.recordtype:
        where, params = "recordtype = ?", [record_type.recordtype]
    if query.get("q"):
        condition, q_params = qfilter.to_sql(query["q"], record_type.fields, ctx.account)
        where, params = f"{where} AND {condition}", params + q_params
    table = f'"{record_type.table}"'
    total = ctx.store.scalar(f"SELECT COUNT(*) FROM {table} WHERE {where}", params)
    ids = [row[0] for row in ctx.store.conn.execute(
        f"SELECT id FROM {table} WHERE {where} ORDER BY id LIMIT ? OFFSET ?", (*params, limit, offset))]
    path = f"{ctx.target.rest_base}/record/v1/{record_type.name}"
    has_more = offset + len(ids) < total
    links = []
    if has_more:
        links.append({"rel": "next", "href": _page_href(ctx, path, query, limit, offset + limit)})
    if offset > 0:
        links.append({"rel": "previous", "href": _page_href(ctx, path, query, limit, max(0, offset - limit))})
    links.append({"rel": "first", "href": _page_href(ctx, path, query, limit, 0)})
    last_offset = max(0, (total - 1) // limit * limit) if total else 0
    links.append({"rel": "last", "href": _page_href(ctx, path, query, limit, last_offset)})
    links.append({"rel": "self", "href": _page_href(ctx, path, query, limit, offset)})
    items = [{"links": self_links(f"{path}/{record_id}"), "id": str(record_id)} for record_id in ids]
    return {"links": links, "count": len(ids), "hasMore": has_more, "items": items, "offset": offset,
            "totalResults": total}
