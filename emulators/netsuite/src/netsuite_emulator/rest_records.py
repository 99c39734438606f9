"""The REST record service (/record/v1): routing of record URLs to the record types."""

import json
import re
from decimal import Decimal
from dataclasses import dataclass

from starlette.responses import Response

from netsuite_emulator import collection, tx_write
from netsuite_emulator.errors import NetSuiteError, invalid_id, invalid_parameter, user_error
from netsuite_emulator.rec_input import Body
from netsuite_emulator.rec_shape import COLLECTION_CONTENT_TYPE, RECORD_CONTENT_TYPE, Ctx
from netsuite_emulator.record_types import RecordType, find

PATH = re.compile(r"^/record/v1/(?P<type>[^/]+)(?:/(?P<id>[^/]+)(?:/(?P<rest>.+))?)?$")
GET_PARAMS = {"fields", "expand", "expandsubresources", "simpleenumformat"}
TRUE = ("true", "t", "1", "yes")


@dataclass
class RecordRoute:
    method: str
    record_type: RecordType
    id_text: str | None
    rest: str | None

    @property
    def template(self) -> str:
        path = f"/record/v1/{self.record_type.name}"
        if self.id_text is not None:
            path += "/{id}"
        if self.rest:
            parts = self.rest.split("/")
            path += "/" + ("!transform/" + parts[1].lower() if parts[0] == "!transform" else parts[0])
            path += "/{line}" if parts[0] != "!transform" and len(parts) > 1 else ""
        return f"{self.method} {path}"

    @property
    def is_write(self) -> bool:
        return self.method in ("POST", "PATCH", "PUT", "DELETE")


def match(method: str, subpath: str) -> RecordRoute | None:
    found = PATH.match(subpath)
    if not found:
        return None
    record_type = find(found.group("type"))
    if record_type is None:
        raise NetSuiteError(404, "NONEXISTENT_ID", f"Record type '{found.group('type')}' does not exist.")
    return RecordRoute(method, record_type, found.group("id"), found.group("rest"))


def resolve_id(ctx: Ctx, route: RecordRoute, must_exist: bool = True) -> int | None:
    text = route.id_text
    if text.lower().startswith("eid:"):
        table = route.record_type.table
        found = tx_write.find_by_external_id(ctx.store, table, route.record_type.recordtype, text[4:])
        if found is None and must_exist:
            raise NetSuiteError(404, "NONEXISTENT_ID", "The record instance does not exist.")
        return found
    if not re.fullmatch(r"-?[1-9]\d{0,17}", text):
        raise invalid_id(f"{ctx.target.rest_base}/record/v1/{route.record_type.name}/{text}")
    return int(text)


def _body(raw: bytes) -> Body:
    if not raw.strip():
        return Body({})
    try:
        return Body(json.loads(raw, parse_float=Decimal))  # money arrives exact, never as a binary float
    except (ValueError, UnicodeDecodeError):
        raise NetSuiteError(400, "INVALID_CONTENT", "The request body is not valid JSON.") from None


def _json(data: dict, content_type: str = RECORD_CONTENT_TYPE) -> Response:
    return Response(json.dumps(data), 200, media_type=content_type)


def _written(ctx: Ctx, route: RecordRoute, record_id: int, record_type: str | None = None) -> Response:
    return Response(status_code=204, headers={"Location": ctx.record_url(record_type or route.record_type.name,
                                                                        record_id)})


def read(ctx: Ctx, route: RecordRoute, href: str) -> Response:
    if route.id_text is None:
        if route.rest is None:
            return _json(collection.list_records(ctx, route.record_type), COLLECTION_CONTENT_TYPE)
    unknown = [name for name in ctx.query if name.lower() not in GET_PARAMS]
    if unknown:
        raise invalid_parameter(f"Invalid query parameter name: {unknown[0]}. Allowed query parameters are: "
                                "fields, expand, expandSubResources.", unknown[0])
    expand = str(ctx.query.get("expandSubResources", "")).lower() in TRUE or bool(route.rest)
    record = route.record_type.get(ctx, resolve_id(ctx, route), expand, href)
    if route.rest:
        return _json(_sub_resource(record, route.rest))
    if ctx.query.get("fields"):
        wanted = {name.strip().lower() for name in ctx.query["fields"].split(",")} | {"links", "id"}
        record = {key: value for key, value in record.items() if key.lower() in wanted}
    return _json(record)


def _sub_resource(record: dict, rest: str) -> dict:
    name, _, line = rest.partition("/")
    for key, value in record.items():
        if key.lower() == name.lower() and isinstance(value, dict) and "items" in value:
            if not line:
                return value
            for item in value["items"]:
                if item["links"][0]["href"].rsplit("/", 1)[-1] == line:
                    return item
    raise NetSuiteError(404, "NONEXISTENT_ID", "The record instance does not exist.")


def write(ctx: Ctx, route: RecordRoute, raw_body: bytes) -> Response:
    record_type = route.record_type
    if record_type.create is None:
        raise NetSuiteError(405, "METHOD_NOT_ALLOWED", f"The {route.method} method is not allowed for {record_type.name}.")
    body = _body(raw_body)
    replace = {name.strip().lower() for name in ctx.query.get("replace", "").split(",") if name.strip()}
    with ctx.store.write():
        if route.method == "POST" and route.rest and route.rest.startswith("!transform/"):
            return _transform(ctx, route, body)
        if route.method == "POST" and route.id_text is None and not route.rest:
            return _written(ctx, route, record_type.create(ctx, body))
        if route.id_text is None or route.rest:
            raise NetSuiteError(405, "METHOD_NOT_ALLOWED", f"The {route.method} method is not allowed here.")
        if route.method == "PUT":
            return _upsert(ctx, route, body, replace)
        record_id = resolve_id(ctx, route)
        if route.method == "PATCH":
            record_type.update(ctx, record_id, body, replace)
            return _written(ctx, route, record_id)
        if route.method == "DELETE":
            record_type.delete(ctx, record_id)
            return Response(status_code=204)
    raise NetSuiteError(405, "METHOD_NOT_ALLOWED", f"The {route.method} method is not allowed here.")


def _upsert(ctx: Ctx, route: RecordRoute, body: Body, replace: set[str]) -> Response:
    if not route.id_text.lower().startswith("eid:"):
        raise user_error("An upsert (PUT) needs an external ID in the URL: /record/v1/<type>/eid:<externalId>.")
    external_id = route.id_text[4:]
    record_id = resolve_id(ctx, route, must_exist=False)
    body.data["externalid"] = external_id
    if record_id is None:
        record_id = route.record_type.create(ctx, body)
    else:
        route.record_type.update(ctx, record_id, body, replace)
    return _written(ctx, route, record_id)


def _transform(ctx: Ctx, route: RecordRoute, body: Body) -> Response:
    target = route.rest.split("/", 1)[1].lower()
    transform = route.record_type.transforms.get(target)
    if transform is None or route.id_text is None:
        raise user_error(f"The transformation of {route.record_type.name} to {target} is not supported.")
    target_type, function = transform
    return _written(ctx, route, function(ctx, resolve_id(ctx, route), body), target_type)
