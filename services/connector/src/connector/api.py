"""HTTP edge: the partner API of http-api.md, tenant tokens and the internal credentials endpoint."""
from __future__ import annotations

import datetime as dt
import html
import re

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, Response
from netsuite_client.config import InvalidAccountId
from pydantic import BaseModel, ConfigDict, SecretStr
from sb_runtime import revocation, tokens
from sb_runtime.http import ApiError, BearerAuth

from connector import connect, leases, setup, status, store, tba
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


async def _connected_account(deps: Deps, tenant_id: str) -> str:
    async with deps.pool.acquire() as connection:
        tenant = await store.get_tenant(connection, tenant_id)
    if tenant is None or tenant.status == "not_connected" or not tenant.account_id:
        raise ApiError(409, "not_connected", "NetSuite is not connected for this tenant yet.")
    if needs_reconnect(tenant):
        raise ApiError(409, "reconnect_required", tenant.last_error)
    return tenant.account_id


def register(app: FastAPI, deps: Deps) -> None:
    settings = deps.settings
    auth = BearerAuth(settings.admin_token.get_secret_value(), settings.token_signing_key.get_secret_value())

    @app.post("/v1/tenants/{tenant_id}/tokens", status_code=201)
    async def mint_token(tenant_id: str, request: Request) -> dict:
        auth.admin(request)
        signing_key = settings.token_signing_key.get_secret_value()
        if not signing_key:
            raise ApiError(503, "not_configured", "CONNECTOR_TOKEN_SIGNING_KEY is not set.")
        token = tokens.mint_tenant_token(signing_key, _tenant(tenant_id), settings.token_ttl_s)
        principal = tokens.verify(token, "", signing_key)
        expires_at = dt.datetime.fromtimestamp(principal.expires_at, dt.timezone.utc)
        return {"token": token, "token_id": principal.token_id, "expires_at": expires_at.isoformat()}

    @app.delete("/v1/tenants/{tenant_id}/tokens/{token_id}", status_code=204)
    async def revoke_token(tenant_id: str, token_id: str, request: Request) -> Response:
        auth.tenant(request, _tenant(tenant_id))
        if not TOKEN_ID.match(token_id):
            raise ApiError(404, "not_found", "No such token.")
        async with deps.pool.acquire() as connection:
            await revocation.revoke(connection, settings.token_revocation_schema, tenant_id, token_id)
        return Response(status_code=204)

    @app.post("/v1/tenants/{tenant_id}/netsuite/connect")
    async def start_connect(tenant_id: str, request: Request, body: ConnectBody | None = None) -> dict:
        auth.tenant(request, _tenant(tenant_id))
        hint = (body.account_id or "").strip() if body else ""
        try:
            url = await connect.start(deps, tenant_id, hint or None, bool(body and body.confirm_switch))
        except InvalidAccountId as error:
            raise ApiError(422, "invalid_account_id", "account_id is not a NetSuite account id.") from error
        except NotConfigured as error:
            raise ApiError(503, "not_configured", str(error)) from error
        return {"authorize_url": url}

    @app.get("/v1/oauth/netsuite/callback", response_class=HTMLResponse)
    async def callback(request: Request) -> HTMLResponse:
        finished = await connect.finish(deps, dict(request.query_params))
        title = "NetSuite connected" if finished.ok else "NetSuite was not connected"
        back = (f'<p><a id="back" href="/dashboard?tenant={html.escape(finished.tenant_id)}">Back to the dashboard</a></p>'
                if finished.tenant_id else "")
        page = PAGE.format(title=title, message=html.escape(finished.message), back=back)
        return HTMLResponse(page, status_code=200 if finished.ok else 400)

    @app.put("/v1/tenants/{tenant_id}/netsuite/tba")
    async def connect_tba(tenant_id: str, body: TbaBody, request: Request) -> dict:
        auth.tenant(request, _tenant(tenant_id))
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

    @app.get("/v1/tenants/{tenant_id}/netsuite")
    async def connection_status(tenant_id: str, request: Request) -> dict:
        auth.tenant(request, _tenant(tenant_id))
        return await status.connection_status(deps, tenant_id)

    @app.get("/v1/tenants/{tenant_id}/netsuite/accounts")
    async def accounts(tenant_id: str, request: Request, type: str | None = None) -> dict:  # noqa: A002
        auth.tenant(request, _tenant(tenant_id))
        account_id = await _connected_account(deps, tenant_id)
        return {"items": await _netsuite(setup.list_accounts(deps, tenant_id, account_id, type))}

    @app.put("/v1/tenants/{tenant_id}/netsuite/accounts")
    async def save_accounts(tenant_id: str, choice: AccountChoice, request: Request) -> dict:
        auth.tenant(request, _tenant(tenant_id))
        account_id = await _connected_account(deps, tenant_id)
        try:
            return await _netsuite(setup.save(deps, tenant_id, account_id, choice.model_dump()))
        except setup.InvalidChoice as error:
            raise ApiError(422, "invalid_account_choice", str(error)) from error

    @app.get("/internal/tenants")
    async def tenants(request: Request) -> dict:
        auth.admin(request)
        async with deps.pool.acquire() as connection:
            rows = await store.all_tenants(connection)
        return {"items": [{"tenant_id": row.tenant_id, "status": row.status, "account_id": row.account_id,
                           "last_sync_at": row.last_sync_at.isoformat() if row.last_sync_at else None}
                          for row in rows]}

    @app.post("/internal/tenants/{tenant_id}/netsuite/resync", status_code=202)
    async def resync(tenant_id: str, request: Request, body: ResyncBody | None = None) -> dict:
        auth.admin(request)
        async with deps.pool.acquire() as connection:
            if await store.get_tenant(connection, _tenant(tenant_id)) is None:
                raise ApiError(404, "not_found", "No such tenant.")
        await _connected_account(deps, tenant_id)
        since = body.since if body else None
        async with deps.pool.acquire() as connection:
            await leases.request_resync(connection, tenant_id, f"{since.isoformat()} 00:00:00" if since else "")
        return {"tenant_id": tenant_id, "since": since.isoformat() if since else None, "scheduled": True}


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
