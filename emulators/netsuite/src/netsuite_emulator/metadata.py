"""GET /record/v1/metadata-catalog[/<type>]: the catalog, JSON Schema or OpenAPI per record type."""

import json

from starlette.requests import Request
from starlette.responses import Response

from netsuite_emulator.errors import NetSuiteError
from netsuite_emulator.rec_shape import Ctx
from netsuite_emulator.record_types import TYPES

REF = {"$ref": "#/components/schemas/nsResource"}
TRANSACTION = {"id": "string", "tranId": "string", "externalId": "string", "tranDate": "date",
               "createdDate": "date-time", "lastModifiedDate": "date-time", "currency": REF, "subsidiary": REF,
               "exchangeRate": "number", "memo": "string"}
FIELDS = {
    "customer": {"id": "string", "entityId": "string", "companyName": "string", "isPerson": "boolean",
                 "email": "string", "phone": "string", "externalId": "string", "isInactive": "boolean",
                 "subsidiary": REF, "currency": REF, "dateCreated": "date-time", "lastModifiedDate": "date-time",
                 "balance": "number"},
    "invoice": {**TRANSACTION, "entity": REF, "dueDate": "date", "subtotal": "number", "total": "number",
                "amountPaid": "number", "amountRemaining": "number", "status": REF, "item": "sublist"},
    "creditmemo": {**TRANSACTION, "entity": REF, "total": "number", "applied": "number", "unapplied": "number",
                   "status": REF, "item": "sublist", "apply": "sublist"},
    "customerpayment": {**TRANSACTION, "customer": REF, "payment": "number", "applied": "number",
                        "unapplied": "number", "undepFunds": "boolean", "account": REF, "status": REF,
                        "apply": "sublist"},
    "deposit": {**TRANSACTION, "account": REF, "total": "number", "payment": "sublist", "other": "sublist",
                "cashBack": "sublist"},
    "account": {"id": "string", "acctNumber": "string", "acctName": "string", "acctType": REF,
                "sSpecAcct": "string", "isInactive": "boolean", "currency": REF},
    "subsidiary": {"id": "string", "name": "string", "currency": REF, "isInactive": "boolean"},
    "currency": {"id": "string", "name": "string", "symbol": "string", "isBaseCurrency": "boolean"},
}


def _property(kind) -> dict:
    if isinstance(kind, dict):
        return dict(kind)
    if kind in ("date", "date-time"):
        return {"type": "string", "format": kind}
    if kind == "sublist":
        return {"type": "object", "properties": {"items": {"type": "array", "items": {"type": "object"}}}}
    return {"type": kind}


def schema(record_type: str) -> dict:
    properties = {name: _property(kind) for name, kind in FIELDS[record_type].items()}
    return {"type": "object", "properties": properties, "x-ns-filterable": sorted(TYPES[record_type].fields)}


def openapi(ctx: Ctx, record_type: str) -> dict:
    base = f"{ctx.target.rest_base}/record/v1"
    return {
        "openapi": "3.0.1", "info": {"title": "NetSuite REST Record API", "version": "v1"},
        "servers": [{"url": base}],
        "paths": {f"/{record_type}": {"get": {}, "post": {}},
                  f"/{record_type}/{{id}}": {"get": {}, "patch": {}, "delete": {}, "put": {}}},
        "components": {"schemas": {record_type: schema(record_type),
                                   "nsResource": {"type": "object", "properties": {
                                       "id": {"type": "string"}, "refName": {"type": "string"},
                                       "links": {"type": "array", "items": {"type": "object"}}}}}},
    }


def catalog(ctx: Ctx) -> dict:
    base = f"{ctx.target.rest_base}/record/v1"
    items = [{"name": name, "links": [
        {"rel": "canonical", "href": f"{base}/{name}", "mediaType": "application/json"},
        {"rel": "alternate", "href": f"{base}/metadata-catalog/{name}", "mediaType": "application/swagger+json"},
        {"rel": "describedby", "href": f"{base}/metadata-catalog/{name}", "mediaType": "application/schema+json"},
    ]} for name in TYPES]
    return {"items": items, "links": [{"rel": "self", "href": f"{base}/metadata-catalog"}]}


def handler(record_type: str):
    async def serve(ctx: Ctx, request: Request) -> Response:
        if not record_type:
            return Response(json.dumps(catalog(ctx)), 200, media_type="application/json")
        name = record_type.lower()
        if name not in FIELDS:
            raise NetSuiteError(404, "NONEXISTENT_ID", f"Record type '{record_type}' does not exist.")
        if "schema+json" in request.headers.get("accept", ""):
            return Response(json.dumps(schema(name)), 200, media_type="application/schema+json")
        return Response(json.dumps(openapi(ctx, name)), 200, media_type="application/swagger+json")
    return serve
