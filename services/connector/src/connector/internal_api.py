"""The internal listener: service-to-service calls only, on its own port that no ingress exposes.

Write-back asks here for a tenant's NetSuite credentials (decision 0004) and invoice-sync for invoice
PDF bytes by SHA-256 (decision 0007), with the internal token (``CONNECTOR_INTERNAL_TOKEN``), never
with the operator's admin token. NetSuite access tokens are never served on the public port.
"""
from __future__ import annotations

import hmac

from fastapi import FastAPI, Request, Response
from sb_runtime.http import ApiError, add_error_handlers

from connector import pdf_store, store
from connector.api import _connected_account, _netsuite, _tenant
from connector.connections import TbaAccess
from connector.deps import Deps


def create_internal_app(deps: Deps) -> FastAPI:
    app = FastAPI(title="suitebridge connector (internal)", openapi_url=None, docs_url=None, redoc_url=None)
    add_error_handlers(app)
    register(app, deps)
    register_pdfs(app, deps)
    return app


def _service(request: Request, internal_token: str) -> None:
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    if not internal_token:
        raise ApiError(503, "not_configured", "CONNECTOR_INTERNAL_TOKEN is not set.")
    sent = token.strip().encode("utf-8", "surrogateescape")
    if scheme.lower() != "bearer" or not hmac.compare_digest(sent, internal_token.encode()):
        raise ApiError(401, "unauthorized", "A valid service token is required.")


def register(app: FastAPI, deps: Deps) -> None:
    settings = deps.settings

    @app.get("/healthz", include_in_schema=False)
    async def healthz() -> dict:
        return {"status": "ok"}

    @app.get("/internal/tenants/{tenant_id}/netsuite/credentials")
    async def credentials(tenant_id: str, request: Request) -> dict:
        _service(request, settings.internal_token.get_secret_value())
        await _connected_account(deps, _tenant(tenant_id))
        found = await _netsuite(deps.connections.credentials(tenant_id))
        async with deps.pool.acquire() as connection:
            tenant = await store.get_tenant(connection, tenant_id)
        return credentials_answer(deps, found, tenant.timezone or settings.default_timezone)


def register_pdfs(app: FastAPI, deps: Deps) -> None:
    @app.get("/internal/pdfs/{sha256}")
    async def pdf(sha256: str, request: Request) -> Response:
        _service(request, deps.settings.internal_token.get_secret_value())
        async with deps.pool.acquire() as connection:
            content = await pdf_store.load(connection, sha256.lower())
        if content is None:
            raise ApiError(404, "not_found", "No PDF with this SHA-256.")
        return Response(content, media_type="application/pdf", headers={"cache-control": "private, immutable"})


def credentials_answer(deps: Deps, found, timezone: str) -> dict:
    """Decision 0004's answer: where the account is, and a bearer token or the TBA set (``kind`` says which)."""
    connections, account_id = deps.connections, found.account_id
    answer = {
        "account_id": account_id, "kind": "tba" if isinstance(found, TbaAccess) else "oauth2",
        "rest_base_url": connections.rest_site(account_id), "restlet_base_url": connections.restlet_site(account_id),
        "rest_url": connections.rest_site(account_id) + "/services/rest",
        "restlet_url": connections.restlet_site(account_id) + "/app/site/hosting/restlet.nl",
        "timezone": timezone, "budget_limit": connections.budget_limit(),
    }
    if isinstance(found, TbaAccess):
        tba_set = found.credentials
        answer |= {"access_token": None, "token_type": "tba", "expires_at": None,
                   "tba": {"consumer_key": tba_set.consumer_key, "consumer_secret": tba_set.consumer_secret,
                           "token_id": tba_set.token_id, "token_secret": tba_set.token_secret}}
    else:
        answer |= {"access_token": found.token, "token_type": "bearer", "expires_at": int(found.expires_at)}
    return answer
