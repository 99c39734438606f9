"""R16: the OAuth 2.0 authorization-code flow with PKCE, then the prerequisite checks.

The ``state`` is single use and expires; the PKCE verifier is stored encrypted with it. The
callback's ``company`` names the account. Prerequisites (REST web services, token
authentication, the bundle's RESTlet) are checked with the fresh token before any sync starts,
and a failing one is reported in plain words.
"""
from __future__ import annotations

from dataclasses import dataclass

from netsuite_client import (
    AuthenticationError, NetSuiteError, OAuthError, PermanentNetSuiteError, TransientNetSuiteError,
    build_authorize_url, exchange_code, new_code_verifier, new_state,
)
from netsuite_client.config import InvalidAccountId, canonical_account_id, site_url

from connector import clock, expiry, identity, leases, prerequisites, store, sync_store, tenants, token_store
from connector.deps import Deps
from connector.errors import NotConfigured, PrerequisiteMissing
from connector.netsuite import NetSuiteReader

AUTHORIZE_PATH = "/app/login/oauth2/authorize.nl"


@dataclass(frozen=True)
class Finished:
    ok: bool
    message: str
    tenant_id: str | None = None


def authorize_endpoint(deps: Deps, account_hint: str | None) -> str:
    if account_hint:
        return site_url(deps.settings.netsuite_app_base_template, account_hint) + AUTHORIZE_PATH
    return deps.settings.netsuite_accountless_authorize_url


async def start(deps: Deps, tenant_id: str, account_hint: str | None, confirm_switch: bool = False) -> str:
    settings = deps.settings
    if not settings.oauth_client_id:
        raise NotConfigured("CONNECTOR_OAUTH_CLIENT_ID is not set.")
    account_hint = canonical_account_id(account_hint) if account_hint else None  # InvalidAccountId: 422
    verifier, state = new_code_verifier(), new_state()
    sealed = deps.cipher.encrypt(verifier)
    async with deps.pool.acquire() as connection, connection.transaction():
        await store.ensure_tenant(connection, tenant_id)
        await store.new_flow(connection, state, tenant_id, sealed, account_hint, settings.oauth_state_ttl_s,
                             confirm_switch)
    return build_authorize_url(authorize_endpoint(deps, account_hint), client_id=settings.oauth_client_id,
                               redirect_uri=settings.oauth_redirect_uri, state=state, code_verifier=verifier)


async def finish(deps: Deps, params: dict[str, str]) -> Finished:
    async with deps.pool.acquire() as connection:
        flow = await store.claim_flow(connection, params.get("state", "")) if params.get("state") else None
    if flow is None:
        return Finished(False, "This connect link has expired or was already used. Start connecting NetSuite again.")
    if params.get("error"):
        return Finished(False, f"NetSuite access was not granted ({params['error']}). Start connecting again "
                               "and choose Allow.", flow.tenant_id)
    account_id, code = params.get("company", "").strip(), params.get("code", "")
    if not account_id or not code:
        return Finished(False, "NetSuite's answer named no account or no authorization code.", flow.tenant_id)
    account_id = answered_account(account_id, flow.account_hint)
    if account_id is None:
        return Finished(False, "NetSuite's answer named a different or invalid account. Start connecting "
                               "again and sign in to the account you named.", flow.tenant_id)
    try:
        await refuse_switch(deps, flow.tenant_id, account_id, flow.confirm_switch)
        tokens = await _exchange(deps, account_id, code, deps.cipher.decrypt(flow.code_verifier))
        await _save(deps, flow.tenant_id, account_id, tokens, params, flow.confirm_switch)
    except identity.AccountSwitchRefused as error:
        return Finished(False, str(error), flow.tenant_id)
    except NetSuiteError as error:
        return Finished(False, _exchange_failure(error, account_id), flow.tenant_id)
    outcome = await prerequisites_or_error(deps, flow.tenant_id, account_id)
    if isinstance(outcome, PrerequisiteMissing):
        return Finished(False, str(outcome), flow.tenant_id)
    status = await activate(deps, flow.tenant_id, account_id, timezone=outcome)
    return Finished(True, f"NetSuite account {account_id} is connected; the sync is {status}.", flow.tenant_id)


async def prerequisites_or_error(deps: Deps, tenant_id: str, account_id: str) -> str | PrerequisiteMissing:
    """The account's time zone, or the missing prerequisite (then the tenant is in ``error`` saying so)."""
    try:
        return await check_prerequisites(deps, tenant_id, account_id)
    except PrerequisiteMissing as missing:
        async with deps.pool.acquire() as connection, connection.transaction():
            await tenants.change_status(connection, tenant_id, "error", str(missing))
        return missing


def answered_account(company: str, account_hint: str | None) -> str | None:
    """The callback's account id when it is a valid id and the one the connect named, else None."""
    try:
        account_id = canonical_account_id(company)
        named = canonical_account_id(account_hint) if account_hint else account_id
    except InvalidAccountId:
        return None
    return account_id if named == account_id else None


async def _exchange(deps: Deps, account_id: str, code: str, verifier: str):
    settings = deps.settings
    return await exchange_code(deps.http, deps.connections.token_url(account_id), client_id=settings.oauth_client_id,
                               client_secret=settings.oauth_client_secret.get_secret_value(), code=code,
                               redirect_uri=settings.oauth_redirect_uri, code_verifier=verifier)


def _exchange_failure(error: NetSuiteError, account_id: str) -> str:
    if isinstance(error, TransientNetSuiteError):
        return f"NetSuite account {account_id} could not be reached. Try connecting again in a few minutes."
    if isinstance(error, AuthenticationError):
        return "NetSuite refused suitebridge's integration credentials. Contact suitebridge support."
    if isinstance(error, OAuthError):
        return f"NetSuite refused the authorization ({error.code or error.detail}). Start connecting again."
    return f"Connecting NetSuite account {account_id} failed: {error.detail}"


async def refuse_switch(deps: Deps, tenant_id: str, account_id: str, confirm_switch: bool) -> None:
    """Raise ``AccountSwitchRefused`` before anything is exchanged or stored (checked again when storing)."""
    async with deps.pool.acquire() as connection:
        identity.check(await store.get_tenant(connection, tenant_id), account_id, confirm_switch)


async def _save(deps: Deps, tenant_id: str, account_id: str, tokens, params: dict[str, str],
                confirm_switch: bool) -> None:
    cipher = deps.cipher
    refresh = cipher.encrypt(tokens.refresh_token) if tokens.refresh_token else None
    refresh_expires_at = deps.connections.refresh_expiry() if refresh else None
    async with deps.pool.acquire() as connection, connection.transaction():
        await connected_to(deps, connection, tenant_id, account_id, confirm_switch)
        await token_store.save_oauth2(connection, tenant_id, account_id, cipher.encrypt(tokens.access_token),
                                      refresh, tokens.expires_at, refresh_expires_at, params.get("role"),
                                      params.get("entity"))


async def connected_to(deps: Deps, connection, tenant_id: str, account_id: str, confirm_switch: bool = False) -> None:
    """New credentials are being stored (same transaction): another account only with the partner's
    confirmation, and then it starts over (identity.py); a reminder is done."""
    switched = await identity.connect_account(connection, tenant_id, account_id, confirm_switch)
    tenant = await store.get_tenant(connection, tenant_id)
    await store.set_account(connection, tenant_id, account_id, None if switched else tenant.timezone)
    await expiry.resolve(connection, tenant_id, deps.clock.now())


async def check_prerequisites(deps: Deps, tenant_id: str, account_id: str) -> str:
    """Probe REST/SuiteQL and the role's permissions, the clock (for the time zone) and the bundle
    RESTlet with the stored credentials; returns the time zone."""
    settings = deps.settings
    client = deps.connections.client(tenant_id, account_id)
    reader = NetSuiteReader(client, 1, settings.pdf_script, settings.pdf_deploy)
    await prerequisites.check_records(client, account_id)
    try:
        local_sample, utc_sample = await reader.clock_sample()
    except AuthenticationError as error:
        raise PrerequisiteMissing(prerequisites.token_auth_off(account_id)) from error
    except PermanentNetSuiteError as error:
        raise PrerequisiteMissing(prerequisites.rest_off(account_id)) from error
    await prerequisites.check_bundle(client, account_id, settings.pdf_script, settings.pdf_deploy)
    return clock.detect_timezone(local_sample, utc_sample, [settings.default_timezone])


async def activate(deps: Deps, tenant_id: str, account_id: str, timezone: str) -> str:
    async with deps.pool.acquire() as connection, connection.transaction():
        await store.set_account(connection, tenant_id, account_id, timezone)
        state = await sync_store.initial_sync(connection, tenant_id)
        done = state is not None and state.account_id == account_id and state.phase == "done"
        status = "connected" if done else "pending"
        await tenants.change_status(connection, tenant_id, status)
        await leases.schedule(connection, tenant_id)
    return "running" if status == "pending" else "up to date"
