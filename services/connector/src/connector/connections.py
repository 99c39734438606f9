"""Per-tenant NetSuite access: stored (encrypted) OAuth 2.0 tokens, refreshed before expiry under a
row lock (so instances never refresh at once), and a NetSuite client on the shared budget."""
from __future__ import annotations

import asyncio
import time
from contextlib import asynccontextmanager
from dataclasses import dataclass

import httpx
from netsuite_client import (
    NetSuiteClient, OAuth2Credentials, PostgresBudgetStore, ReconnectRequired, TenantConfig, TransientNetSuiteError,
    refresh_access_token, token_endpoint,
)
from netsuite_client.config import site_url

from connector import store
from connector.crypto import TokenCipher
from connector.errors import NotConnected, ReconnectNeeded, Transient
from connector.settings import Settings

RESTLET_PATH = "/app/site/hosting/restlet.nl"


@dataclass(frozen=True)
class AccessToken:
    account_id: str
    token: str
    expires_at: float


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


class StoredTokenAuth:
    """``netsuite_client`` Authenticator reading the tenant's token from the connector's store."""

    def __init__(self, connections: Connections, tenant_id: str):
        self._connections = connections
        self._tenant_id = tenant_id
        self._token: AccessToken | None = None

    async def authorization(self, method: str, url: httpx.URL) -> str:
        if self._token is None or self._token.expires_at - 30 <= time.time():
            self._token = await self._connections.access_token(self._tenant_id)
        return f"Bearer {self._token.token}"

    async def recover_from_401(self, used_authorization: str) -> bool:
        stale = used_authorization.removeprefix("Bearer ")
        self._token = await self._connections.access_token(self._tenant_id, stale=stale)
        return self._token.token != stale


class Connections:
    def __init__(self, settings: Settings, cipher: TokenCipher, pool, http: httpx.AsyncClient,
                 budgets: PostgresBudgetStore | None):
        self.settings = settings
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
        return max(1, self.settings.netsuite_account_concurrency_limit - 1)

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
            limit = self.budget_limit()
            share = max(1, int(limit * self.settings.netsuite_budget_share))
            self._tenant_budgets[tenant_id] = ShareBudget(self.budgets.for_tenant(tenant_id, limit), share)
        return self._tenant_budgets[tenant_id]

    def client(self, tenant_id: str, account_id: str) -> NetSuiteClient:
        return NetSuiteClient(self.config(tenant_id, account_id), http=self.http, budget=self.budget(tenant_id),
                              authenticator=StoredTokenAuth(self, tenant_id))

    async def access_token(self, tenant_id: str, min_valid_s: float | None = None,
                           stale: str | None = None) -> AccessToken:
        """A token valid for at least ``min_valid_s``; refreshed (once, under a row lock) when not."""
        margin = self.settings.access_token_refresh_margin_s if min_valid_s is None else min_valid_s
        async with self.pool.acquire() as connection:
            stored = await store.get_tokens(connection, tenant_id)
        if stored is None:
            raise NotConnected(f"tenant {tenant_id} has no NetSuite connection")
        current = self.cipher.decrypt(stored.access_token)
        if stored.expires_at - margin > time.time() and current != stale:
            return AccessToken(stored.account_id, current, stored.expires_at)
        return await self._refresh(tenant_id, margin, stale)

    async def _refresh(self, tenant_id: str, margin: float, stale: str | None) -> AccessToken:
        async with self.pool.acquire() as connection, connection.transaction():
            stored = await store.get_tokens(connection, tenant_id, lock=True)
            current = self.cipher.decrypt(stored.access_token)
            if stored.expires_at - margin > time.time() and current != stale:
                return AccessToken(stored.account_id, current, stored.expires_at)  # refreshed meanwhile
            if stored.refresh_token is None:
                raise ReconnectNeeded("no refresh token is stored")
            try:
                tokens = await refresh_access_token(
                    self.http, self.token_url(stored.account_id), self.settings.oauth_client_id,
                    self.settings.oauth_client_secret.get_secret_value(), self.cipher.decrypt(stored.refresh_token))
            except ReconnectRequired as error:
                raise ReconnectNeeded(str(error.detail)) from error
            except TransientNetSuiteError as error:
                raise Transient(f"token refresh failed: {error}") from error
            await store.save_access_token(connection, tenant_id, self.cipher.encrypt(tokens.access_token),
                                          tokens.expires_at)
        return AccessToken(stored.account_id, tokens.access_token, tokens.expires_at)
