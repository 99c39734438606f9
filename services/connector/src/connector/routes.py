"""HTTP edge: the partner API of http-api.md, tenant tokens, the OAuth callback and the operator's
/internal routes (``router``, which includes the dashboard's), and the credentials endpoint of the
internal listener (``internal_router``). Who may call is each route's dependency: ``tenant_scope`` (a
token that sees the tenant), ``admin`` (the operator's token) or ``service`` (the internal token)."""
from __future__ import annotations

import datetime as dt
import hmac
import html
import re

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response
from netsuite_client.config import InvalidAccountId
from pydantic import BaseModel, ConfigDict, SecretStr
from sb_runtime import revocation, tokens
from sb_runtime.http import ApiError, BearerAuth, current_deps

from connector import connect, dashboard, internal_api, leases, pdf_store, setup, status, store, tba
from connector.deps import Deps
from connector.errors import NotConfigured, NotConnected, ReconnectNeeded, Transient
from connector.identity import AccountSwitchRefused
from connector.tenants import RECONNECT, needs_reconnect

TENANT_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")
TOKEN_ID = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
PAGE = """<!DOCTYPE html><html><head><title>suitebridge - NetSuite</title></head>
<body><h1>{title}</h1><p id="message">{message}</p>{back}</body></html>"""


class ConnectBody(BaseModel):
    model_config = ConfigDict(extra="ignore")
    account_id: str | None = None
    confirm_switch: bool = False  # replace the tenant's NetSuite account (identity.py)


class TbaBody(BaseModel):
    model_config = ConfigDict(extra="forbid")
    account_id: str
    token_id: SecretStr
    token_secret: SecretStr
    consumer_key: SecretStr | None = None
    consumer_secret: SecretStr | None = None
    confirm_switch: bool = False  # replace the tenant's NetSuite account (identity.py)

    def request(self) -> tba.TbaRequest:
        def plain(value: SecretStr | None) -> str | None:
            return value.get_secret_value() if value is not None else None

        return tba.TbaRequest(self.account_id, plain(self.token_id), plain(self.token_secret),
                              plain(self.consumer_key), plain(self.consumer_secret), self.confirm_switch)


class ResyncBody(BaseModel):
    model_config = ConfigDict(extra="forbid")
    since: dt.date | None = None


class AccountChoice(BaseModel):
    model_config = ConfigDict(extra="forbid")
    undeposited_funds: str | int
    deposit_bank: str | int
    fee_expense: str | int | None = None
    platform_income: str | int | None = None


def _tenant(tenant_id: str) -> str:
    if not TENANT_ID.match(tenant_id):
        raise ApiError(404, "not_found", "No such tenant.")
    return tenant_id


def _auth(request: Request) -> BearerAuth:
    settings = request.app.state.shell.settings
    return BearerAuth(settings.admin_token.get_secret_value(), settings.token_signing_key.get_secret_value())


def tenant_scope(request: Request, tenant_id: str) -> tokens.Principal:
    """A well-formed tenant id (else 404), then a bearer token that may see it (401, or 404 for another's)."""
    return _auth(request).tenant(request, _tenant(tenant_id))


def admin(request: Request) -> tokens.Principal:
    return _auth(request).admin(request)


def service(request: Request) -> None:
    """The internal listener's caller: the service token (``CONNECTOR_INTERNAL_TOKEN``), never the admin token."""
    internal_token = request.app.state.shell.settings.internal_token.get_secret_value()
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    if not internal_token:
        raise ApiError(503, "not_configured", "CONNECTOR_INTERNAL_TOKEN is not set.")
    sent = token.strip().encode("utf-8", "surrogateescape")
    if scheme.lower() != "bearer" or not hmac.compare_digest(sent, internal_token.encode()):
        raise ApiError(401, "unauthorized", "A valid service token is required.")


async def _connected_account(deps: Deps, tenant_id: str) -> str:
    async with deps.pool.acquire() as connection:
        tenant = await store.get_tenant(connection, tenant_id)
    if tenant is None or tenant.status == "not_connected" or not tenant.account_id:
        raise ApiError(409, "not_connected", "NetSuite is not connected for this tenant yet.")
    if needs_reconnect(tenant):
        raise ApiError(409, "reconnect_required", tenant.last_error)
    return tenant.account_id


def router() -> APIRouter:
    routes = APIRouter()
    routes.include_router(dashboard.router())
    tenant = [Depends(tenant_scope)]

    @routes.post("/v1/tenants/{tenant_id}/tokens", status_code=201, dependencies=[Depends(admin)])
    async def mint_token(tenant_id: str, deps: Deps = Depends(current_deps)) -> dict:
        settings = deps.settings
        signing_key = settings.token_signing_key.get_secret_value()
        if not signing_key:
            raise ApiError(503, "not_configured", "CONNECTOR_TOKEN_SIGNING_KEY is not set.")
        token = tokens.mint_tenant_token(signing_key, _tenant(tenant_id), settings.token_ttl_s)
        principal = tokens.verify(token, "", signing_key)
        expires_at = dt.datetime.fromtimestamp(principal.expires_at, dt.timezone.utc)
        return {"token": token, "token_id": principal.token_id, "expires_at": expires_at.isoformat()}

    @routes.delete("/v1/tenants/{tenant_id}/tokens/{token_id}", status_code=204, dependencies=tenant)
    async def revoke_token(tenant_id: str, token_id: str, deps: Deps = Depends(current_deps)) -> Response:
        if not TOKEN_ID.match(token_id):
            raise ApiError(404, "not_found", "No such token.")
        async with deps.pool.acquire() as connection:
            await revocation.revoke(connection, deps.settings.token_revocation_schema, tenant_id, token_id)
        return Response(status_code=204)

    @routes.post("/v1/tenants/{tenant_id}/netsuite/connect", dependencies=tenant)
    async def start_connect(tenant_id: str, body: ConnectBody | None = None,
                            deps: Deps = Depends(current_deps)) -> dict:
        hint = (body.account_id or "").strip() if body else ""
        try:
            url = await connect.start(deps, tenant_id, hint or None, bool(body and body.confirm_switch))
        except InvalidAccountId as error:
            raise ApiError(422, "invalid_account_id", "account_id is not a NetSuite account id.") from error
        except NotConfigured as error:
            raise ApiError(503, "not_configured", str(error)) from error
        return {"authorize_url": url}

    @routes.get("/v1/oauth/netsuite/callback", response_class=HTMLResponse)
    async def callback(request: Request, deps: Deps = Depends(current_deps)) -> HTMLResponse:
        finished = await connect.finish(deps, dict(request.query_params))
        title = "NetSuite connected" if finished.ok else "NetSuite was not connected"
        back = (f'<p><a id="back" href="/dashboard?tenant={html.escape(finished.tenant_id)}">Back to the dashboard</a></p>'
                if finished.tenant_id else "")
        page = PAGE.format(title=title, message=html.escape(finished.message), back=back)
        return HTMLResponse(page, status_code=200 if finished.ok else 400)

    @routes.put("/v1/tenants/{tenant_id}/netsuite/tba", dependencies=tenant)
    async def connect_tba(tenant_id: str, body: TbaBody, deps: Deps = Depends(current_deps)) -> dict:
        try:
            await _netsuite(tba.connect_with_tba(deps, tenant_id, body.request()))
        except (tba.InvalidTba, tba.TbaRefused) as error:
            code = "invalid_credentials" if isinstance(error, tba.InvalidTba) else "netsuite_refused_credentials"
            raise ApiError(422, code, str(error)) from error
        except AccountSwitchRefused as error:
            raise ApiError(409, "account_switch_not_confirmed", str(error)) from error
        except NotConfigured as error:
            raise ApiError(503, "not_configured", str(error)) from error
        return await status.connection_status(deps, tenant_id)

    @routes.get("/v1/tenants/{tenant_id}/netsuite", dependencies=tenant)
    async def connection_status(tenant_id: str, deps: Deps = Depends(current_deps)) -> dict:
        return await status.connection_status(deps, tenant_id)

    @routes.get("/v1/tenants/{tenant_id}/netsuite/accounts", dependencies=tenant)
    async def accounts(tenant_id: str, type: str | None = None,  # noqa: A002
                       deps: Deps = Depends(current_deps)) -> dict:
        account_id = await _connected_account(deps, tenant_id)
        return {"items": await _netsuite(setup.list_accounts(deps, tenant_id, account_id, type))}

    @routes.put("/v1/tenants/{tenant_id}/netsuite/accounts", dependencies=tenant)
    async def save_accounts(tenant_id: str, choice: AccountChoice, deps: Deps = Depends(current_deps)) -> dict:
        account_id = await _connected_account(deps, tenant_id)
        try:
            return await _netsuite(setup.save(deps, tenant_id, account_id, choice.model_dump()))
        except setup.InvalidChoice as error:
            raise ApiError(422, "invalid_account_choice", str(error)) from error

    @routes.get("/internal/tenants", dependencies=[Depends(admin)])
    async def tenants(deps: Deps = Depends(current_deps)) -> dict:
        async with deps.pool.acquire() as connection:
            rows = await store.all_tenants(connection)
        return {"items": [{"tenant_id": row.tenant_id, "status": row.status, "account_id": row.account_id,
                           "last_sync_at": row.last_sync_at.isoformat() if row.last_sync_at else None}
                          for row in rows]}

    @routes.post("/internal/tenants/{tenant_id}/netsuite/resync", status_code=202, dependencies=[Depends(admin)])
    async def resync(tenant_id: str, body: ResyncBody | None = None, deps: Deps = Depends(current_deps)) -> dict:
        async with deps.pool.acquire() as connection:
            if await store.get_tenant(connection, _tenant(tenant_id)) is None:
                raise ApiError(404, "not_found", "No such tenant.")
        await _connected_account(deps, tenant_id)
        since = body.since if body else None
        async with deps.pool.acquire() as connection:
            await leases.request_resync(connection, tenant_id, f"{since.isoformat()} 00:00:00" if since else "")
        return {"tenant_id": tenant_id, "since": since.isoformat() if since else None, "scheduled": True}

    return routes


def internal_router() -> APIRouter:
    """The internal listener's routes: write-back asks here for a tenant's NetSuite credentials (decision 0004),
    invoice-sync for invoice PDFs (decision 0007)."""
    routes = APIRouter()

    @routes.get("/healthz", include_in_schema=False)
    async def healthz() -> dict:
        return {"status": "ok"}

    @routes.get("/internal/tenants/{tenant_id}/netsuite/credentials", dependencies=[Depends(service)])
    async def credentials(tenant_id: str, deps: Deps = Depends(current_deps)) -> dict:
        await _connected_account(deps, _tenant(tenant_id))
        found = await _netsuite(deps.connections.credentials(tenant_id))
        async with deps.pool.acquire() as connection:
            tenant = await store.get_tenant(connection, tenant_id)
        return internal_api.credentials_answer(deps, found, tenant.timezone or deps.settings.default_timezone)

    @routes.get("/internal/pdfs/{sha256}", dependencies=[Depends(service)])
    async def pdf(sha256: str, deps: Deps = Depends(current_deps)) -> Response:
        """Invoice PDF bytes by SHA-256, for invoice-sync (decision 0007)."""
        async with deps.pool.acquire() as connection:
            content = await pdf_store.load(connection, sha256.lower())
        if content is None:
            raise ApiError(404, "not_found", "No PDF with this SHA-256.")
        return Response(content, media_type="application/pdf", headers={"cache-control": "private, immutable"})

    return routes


async def _netsuite(awaitable):
    """Map NetSuite-side failures of a request to the API's error envelope."""
    from netsuite_client import NetSuiteError, TransientNetSuiteError

    try:
        return await awaitable
    except (ReconnectNeeded, NotConnected) as error:
        raise ApiError(409, "reconnect_required", RECONNECT) from error
    except (Transient, TransientNetSuiteError) as error:
        raise ApiError(503, "netsuite_unavailable", "NetSuite did not answer; try again shortly.") from error
    except NetSuiteError as error:
        raise ApiError(502, "netsuite_error", f"NetSuite answered: {error.detail}") from error
