"""The internal listener: service-to-service calls only, on its own port that no ingress exposes.

Write-back asks here for a tenant's NetSuite credentials (decision 0004) and invoice-sync for invoice
PDF bytes by SHA-256 (decision 0007), with the internal token (``CONNECTOR_INTERNAL_TOKEN``), never
with the operator's admin token. NetSuite access tokens are never served on the public port.
Its routes are ``routes.internal_router``.
"""
from __future__ import annotations

from fastapi import APIRouter, FastAPI
from sb_runtime.http import add_error_handlers
from sb_runtime.service import ServiceShell

from connector.connections import AccessToken, TbaAccess
from connector.deps import Deps


def create_internal_app(shell: ServiceShell, routes: APIRouter) -> FastAPI:
    """A second app on the same shell (its ``Deps``); the public app's lifespan starts and stops the shell."""
    app = FastAPI(title="suitebridge connector (internal)", openapi_url=None, docs_url=None, redoc_url=None)
    add_error_handlers(app)
    app.state.shell = shell
    app.include_router(routes)
    return app


def credentials_answer(deps: Deps, found: AccessToken | TbaAccess, timezone: str) -> dict:
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
