"""The REST service's route table (/services/rest/...)."""

import json

from starlette.requests import Request
from starlette.responses import Response

from netsuite_emulator import metadata, rest_records, suiteql
from netsuite_emulator.errors import NetSuiteError
from netsuite_emulator.rec_shape import Ctx
from netsuite_emulator.route import Route


def _route(template, handler, is_write=False):
    return Route(template, handler, is_write, "rest_webservices", "rest_web_services")


async def _suiteql(ctx: Ctx, request: Request) -> Response:
    return suiteql.run(ctx, await request.body())


async def _governance_limits(ctx: Ctx, request: Request) -> Response:
    limit = ctx.account.concurrency_limit
    body = {"accountConcurrencyLimit": limit, "accountUnallocatedConcurrencyLimit": limit,
            "integrationLimitType": "accountLimit"}
    return Response(json.dumps(body), 200, media_type="application/json")


def _records(route: rest_records.RecordRoute):
    async def handler(ctx: Ctx, request: Request) -> Response:
        if route.method == "GET":
            href = f"{ctx.target.origin}{request.url.path}" + (f"?{request.url.query}" if request.url.query else "")
            return rest_records.read(ctx, route, href)
        return rest_records.write(ctx, route, await request.body())
    return handler


def match(method: str, subpath: str):
    if subpath == "/query/v1/suiteql" and method == "POST":
        return _route("POST /query/v1/suiteql", _suiteql)
    if subpath == "/system/v1/governanceLimits" and method == "GET":
        return _route("GET /system/v1/governanceLimits", _governance_limits)
    if subpath.startswith("/record/v1/metadata-catalog") and method == "GET":
        record_type = subpath[len("/record/v1/metadata-catalog"):].strip("/")
        template = "GET /record/v1/metadata-catalog" + ("/{type}" if record_type else "")
        return _route(template, metadata.handler(record_type))
    if method in ("GET", "POST", "PATCH", "PUT", "DELETE"):
        record_route = rest_records.match(method, subpath)
        if record_route is not None:
            return _route(record_route.template, _records(record_route), record_route.is_write)
    raise NetSuiteError(404, "NONEXISTENT_ID", f"The requested resource {subpath} was not found.")
