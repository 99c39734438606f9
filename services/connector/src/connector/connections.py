"""Per-tenant NetSuite access: stored (encrypted) OAuth 2.0 tokens, refreshed before expiry under a
row lock (so instances never refresh at once), or a stored TBA token set; and a NetSuite client on
the shared budget that signs with whichever the tenant connected with."""
from __future__ import annotations

import asyncio
import datetime as dt
import json
import time
from contextlib import asynccontextmanager
from dataclasses import dataclass

import httpx
from netsuite_client import (
    NetSuiteClient, OAuth2Credentials, PostgresBudgetStore, ReconnectRequired, TbaAuth, TbaCredentials, TenantConfig,
    TransientNetSuiteError, budget_limit, refresh_access_token, tba_authorization, token_endpoint,
)
from netsuite_client.config import account_realm, site_url

from connector import token_store
from connector.clock import SystemClock
from connector.crypto import TokenCipher
from connector.errors import NotConnected, ReconnectNeeded, Transient
from connector.settings import Settings

RESTLET_PATH = "/app/site/hosting/restlet.nl"


@dataclass(frozen=True)
class AccessToken:
    account_id: str
    token: str
    expires_at: float


@dataclass(frozen=True)
class TbaAccess:
    account_id: str
    credentials: TbaCredentials


TBA_FIELDS = ("consumer_key", "consumer_secret", "token_id", "token_secret")


def seal_tba(cipher: TokenCipher, credentials: TbaCredentials) -> bytes:
    return cipher.encrypt(json.dumps({name: getattr(credentials, name) for name in TBA_FIELDS}))


def open_tba(cipher: TokenCipher, sealed: bytes) -> TbaCredentials:
    values = json.loads(cipher.decrypt(sealed))
    return TbaCredentials(*(values[name] for name in TBA_FIELDS))


class ShareBudget:
    """The connector's share of a tenant's budget in front of the cross-service PostgreSQL budget."""

    def __init__(self, shared, share: int):
        self._shared = shared
        self._local = asyncio.Semaphore(share)

    @asynccontextmanager
    async def slot(self):
        async with self._local, self._shared.slot():
            yield

    def on_throttled(self) -> None:
        self._shared.on_throttled()

    def on_success(self) -> None:
        self._shared.on_success()


class StoredCredentialsAuth:
    """``netsuite_client`` Authenticator reading the tenant's credentials (OAuth 2.0 or TBA) from the store."""

    def __init__(self, connections: Connections, tenant_id: str):
        self._connections = connections
        self._tenant_id = tenant_id
        self._token: AccessToken | None = None
        self._tba: TbaAccess | None = None

    async def authorization(self, method: str, url: httpx.URL) -> str:
        if self._tba is None and (self._token is None or self._token.expires_at - 30 <= time.time()):
            self._remember(await self._connections.credentials(self._tenant_id))
        if self._tba is not None:
            return tba_authorization(method, url, self._tba.credentials, account_realm(self._tba.account_id))
        return f"Bearer {self._token.token}"

    async def recover_from_401(self, used_authorization: str) -> bool:
        """A refused bearer token is refreshed; a refused TBA set is re-read (the partner may have reconnected)."""
        if used_authorization.startswith("Bearer "):
            stale = used_authorization.removeprefix("Bearer ")
            self._remember(await self._connections.credentials(self._tenant_id, stale=stale))
            return self._tba is not None or self._token.token != stale
        previous = self._tba
        self._tba, self._token = None, None
        self._remember(await self._connections.credentials(self._tenant_id))
        return self._tba is None or previous is None or self._tba.credentials != previous.credentials

    def _remember(self, found: AccessToken | TbaAccess) -> None:
        self._tba, self._token = (found, None) if isinstance(found, TbaAccess) else (None, found)


class Connections:
    def __init__(self, settings: Settings, cipher: TokenCipher, pool, http: httpx.AsyncClient,
                 budgets: PostgresBudgetStore | None, clock: SystemClock | None = None):
        self.settings = settings
        self.clock = clock or SystemClock()
        self.cipher = cipher
        self.pool = pool
        self.http = http
        self.budgets = budgets
        self._tenant_budgets: dict[str, ShareBudget] = {}

    def rest_site(self, account_id: str) -> str:
        return site_url(self.settings.netsuite_rest_base_template, account_id)

    def restlet_site(self, account_id: str) -> str:
        return site_url(self.settings.netsuite_restlet_base_template, account_id)

    def token_url(self, account_id: str) -> str:
        return token_endpoint(self.settings.netsuite_rest_base_template, account_id)

    def budget_limit(self) -> int:
        """Slots of the account's limit all suitebridge services share (less the partner's reserve)."""
        settings = self.settings
        return budget_limit(settings.netsuite_account_concurrency_limit, settings.netsuite_budget_reserve_slots,
                            settings.netsuite_budget_reserve_fraction)

    def connector_slots(self) -> int:
        """How many of them the connector may fill; it yields to write-back's waiting requests."""
        return max(1, int(self.budget_limit() * self.settings.netsuite_budget_share))

    def config(self, tenant_id: str, account_id: str) -> TenantConfig:
        settings = self.settings
        credentials = OAuth2Credentials(access_token="", refresh_token=None, expires_at=0,
                                        client_id=settings.oauth_client_id,
                                        client_secret=settings.oauth_client_secret.get_secret_value())
        return TenantConfig(tenant_key=tenant_id, account_id=account_id, credentials=credentials,
                            rest_base_template=settings.netsuite_rest_base_template,
                            restlet_base_template=settings.netsuite_restlet_base_template,
                            account_concurrency_limit=settings.netsuite_account_concurrency_limit,
                            timeout_s=settings.netsuite_timeout_s)

    def budget(self, tenant_id: str):
        if self.budgets is None:
            return None
        if tenant_id not in self._tenant_budgets:
            shared = self.budgets.for_tenant(tenant_id, self.budget_limit(), yields=True)
            self._tenant_budgets[tenant_id] = ShareBudget(shared, self.connector_slots())
        return self._tenant_budgets[tenant_id]

    def client(self, tenant_id: str, account_id: str) -> NetSuiteClient:
        return NetSuiteClient(self.config(tenant_id, account_id), http=self.http, budget=self.budget(tenant_id),
                              authenticator=StoredCredentialsAuth(self, tenant_id))

    def tba_client(self, tenant_id: str, account_id: str, credentials: TbaCredentials) -> NetSuiteClient:
        """A client signing with a TBA set that is not stored yet (to verify it before storing it)."""
        config = self.config(tenant_id, account_id)
        return NetSuiteClient(config, http=self.http, budget=self.budget(tenant_id),
                              authenticator=TbaAuth(credentials, config.realm))

    async def credentials(self, tenant_id: str, min_valid_s: float | None = None,
                          stale: str | None = None) -> AccessToken | TbaAccess:
        """The tenant's TBA set, or an OAuth 2.0 access token valid for at least ``min_valid_s``."""
        async with self.pool.acquire() as connection:
            stored = await token_store.get_tokens(connection, tenant_id)
        if stored is None:
            raise NotConnected(f"tenant {tenant_id} has no NetSuite connection")
        if stored.kind == "tba":
            return TbaAccess(stored.account_id, open_tba(self.cipher, stored.tba_credentials))
        return await self._access_token(stored, min_valid_s, stale)

    async def _access_token(self, stored: token_store.StoredTokens, min_valid_s: float | None,
                            stale: str | None) -> AccessToken:
        margin = self.settings.access_token_refresh_margin_s if min_valid_s is None else min_valid_s
        current = self.cipher.decrypt(stored.access_token)
        if stored.expires_at - margin > time.time() and current != stale:
            return AccessToken(stored.account_id, current, stored.expires_at)
        return await self._refresh(stored.tenant_id, margin, stale)

    async def _refresh(self, tenant_id: str, margin: float, stale: str | None) -> AccessToken:
        async with self.pool.acquire() as connection, connection.transaction():
            stored = await token_store.get_tokens(connection, tenant_id, lock=True)
            if stored is None or stored.kind != "oauth2":
                raise NotConnected(f"tenant {tenant_id} has no OAuth 2.0 connection")  # reconnected meanwhile
            current = self.cipher.decrypt(stored.access_token)
            if stored.expires_at - margin > time.time() and current != stale:
                return AccessToken(stored.account_id, current, stored.expires_at)  # refreshed meanwhile
            if stored.refresh_token is None:
                raise ReconnectNeeded("no refresh token is stored")
            if stored.refresh_expires_at is not None and stored.refresh_expires_at <= self.clock.now():
                raise ReconnectNeeded(f"the refresh token expired at {stored.refresh_expires_at.isoformat()}")
            try:
                tokens = await refresh_access_token(
                    self.http, self.token_url(stored.account_id), self.settings.oauth_client_id,
                    self.settings.oauth_client_secret.get_secret_value(), self.cipher.decrypt(stored.refresh_token))
            except ReconnectRequired as error:
                raise ReconnectNeeded(str(error.detail)) from error
            except TransientNetSuiteError as error:
                raise Transient(f"token refresh failed: {error}") from error
            rotated = self.cipher.encrypt(tokens.refresh_token) if tokens.refresh_token else None
            await token_store.save_access_token(connection, tenant_id, self.cipher.encrypt(tokens.access_token),
                                                tokens.expires_at, rotated,
                                                self.refresh_expiry() if rotated else None)
        return AccessToken(stored.account_id, tokens.access_token, tokens.expires_at)

    def refresh_expiry(self) -> dt.datetime:
        """When a refresh token obtained now stops working (NetSuite: 7 days from consent)."""
        return self.clock.now() + dt.timedelta(seconds=self.settings.refresh_token_lifetime_s)
