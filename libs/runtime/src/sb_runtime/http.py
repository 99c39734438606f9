"""The small HTTP surface every service has: /healthz, /readyz, /metrics, errors, bearer auth."""
from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, PlainTextResponse
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, generate_latest
from starlette.exceptions import HTTPException as StarletteHTTPException

from sb_runtime import tokens
from sb_runtime.logging import get_logger

log = get_logger(__name__)

ReadyCheck = Callable[[], Awaitable[dict[str, bool]]]


class ApiError(Exception):
    """An error answered as ``{"error": {"code", "message"}}`` with ``status``."""

    def __init__(self, status: int, code: str, message: str):
        super().__init__(message)
        self.status, self.code, self.message = status, code, message


def error_response(status: int, code: str, message: str) -> JSONResponse:
    return JSONResponse({"error": {"code": code, "message": message}}, status_code=status)


def add_operational_routes(app: FastAPI, ready: ReadyCheck, registry: CollectorRegistry) -> None:
    @app.get("/healthz", include_in_schema=False)
    async def healthz() -> dict:
        return {"status": "ok"}

    @app.get("/readyz", include_in_schema=False)
    async def readyz():
        checks = await ready()
        status = 200 if all(checks.values()) else 503
        return JSONResponse({"ready": status == 200, "checks": checks}, status_code=status)

    @app.get("/metrics", include_in_schema=False)
    async def metrics() -> PlainTextResponse:
        return PlainTextResponse(generate_latest(registry), media_type=CONTENT_TYPE_LATEST)


def add_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(ApiError)
    async def api_error(_: Request, error: ApiError):
        return error_response(error.status, error.code, error.message)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(_: Request, error: StarletteHTTPException):
        return error_response(error.status_code, "http_error", str(error.detail))

    @app.exception_handler(RequestValidationError)
    async def invalid_request(_: Request, error: RequestValidationError):
        return error_response(422, "invalid_request", "; ".join(e["msg"] for e in error.errors()[:5]))

    @app.exception_handler(Exception)
    async def unexpected(_: Request, error: Exception):
        log.error("http.unexpected_error", error=repr(error))
        return error_response(500, "internal_error", "Something went wrong on our side.")


class BearerAuth:
    """Resolves the caller and enforces tenant scoping (another tenant's path → 404)."""

    def __init__(self, admin_token: str, signing_key: str):
        self._admin_token = admin_token
        self._signing_key = signing_key

    def principal(self, request: Request) -> tokens.Principal:
        header = request.headers.get("authorization", "")
        scheme, _, token = header.partition(" ")
        principal = tokens.verify(token.strip(), self._admin_token, self._signing_key) if scheme.lower() == "bearer" else None
        if principal is None:
            raise ApiError(401, "unauthorized", "A valid bearer token is required.")
        return principal

    def tenant(self, request: Request, tenant_id: str) -> tokens.Principal:
        principal = self.principal(request)
        if not principal.can_see(tenant_id):
            raise ApiError(404, "not_found", "No such tenant.")
        return principal

    def admin(self, request: Request) -> tokens.Principal:
        principal = self.principal(request)
        if not principal.admin:
            raise ApiError(403, "forbidden", "This needs the admin token.")
        return principal


def current_deps(request: Request) -> Any:
    """FastAPI dependency: the running service's ``Deps`` (``Depends(current_deps)`` in a router)."""
    return request.app.state.shell.deps


def tenant_access(request: Request, tenant_id: str) -> tokens.Principal:
    """FastAPI dependency: a bearer token that may see ``tenant_id`` (401, or 404 for another tenant's)."""
    settings = request.app.state.shell.settings
    auth = BearerAuth(settings.admin_token.get_secret_value(), settings.token_signing_key.get_secret_value())
    return auth.tenant(request, tenant_id)
