"""One budgeted ``NetSuiteClient`` per tenant, authenticated with what the ``CredentialsSource`` says."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import httpx
from netsuite_client import (AuthenticationError, ConcurrencyBudget, NetSuiteClient, OAuth2Credentials,
                             PermanentNetSuiteError, TenantConfig, account_realm, tba_authorization)

from sb_writeback.access import CredentialsSource, NetSuiteAccess

BudgetFactory = Callable[[str, int], ConcurrencyBudget]  # (tenant key, limit) -> budget

_REST_SUFFIX = "/services/rest"
_RESTLET_SUFFIX = "/app/site/hosting/restlet.nl"
# The client takes URL templates; a connector-provided URL is already concrete.
_NO_TOKEN = OAuth2Credentials(access_token="", refresh_token=None, expires_at=0, client_id="", client_secret="")


class ConnectorTokenAuth:
    """Credentials from the source: a bearer token, or a TBA set signing each attempt afresh.

    A 401 asks the source again: for a bearer token a fresh one (the connector refreshes), for a
    TBA set the current one, retried only when it changed (the partner connected again).
    """

    def __init__(self, source: CredentialsSource, tenant_id: str) -> None:
        self._source = source
        self._tenant_id = tenant_id

    async def authorization(self, method: str, url: httpx.URL) -> str:
        access = await self._source.access(self._tenant_id)
        if access.tba is not None:
            return tba_authorization(method, url, access.tba, account_realm(access.account_id))
        return f"Bearer {access.access_token}"

    async def recover_from_401(self, used_authorization: str) -> bool:
        if used_authorization.startswith("Bearer "):
            await self._source.access(self._tenant_id, stale_token=used_authorization.removeprefix("Bearer "))
            return True
        refused = (await self._source.access(self._tenant_id)).credential_id
        current = await self._source.access(self._tenant_id, stale_token=refused)
        return current.credential_id != refused


@dataclass(frozen=True)
class ClientLimits:
    account_concurrency_limit: int = 5
    budget_limit: int | None = None  # default: the connector's, else account limit - 1 (netsuite-client)
    timeout_s: float = 30.0
    max_attempts: int = 8


def _strip(url: str, suffix: str) -> str:
    url = url.rstrip("/")
    return url[: -len(suffix)] if url.endswith(suffix) else url


class NetSuiteClients:
    """Per-tenant clients sharing one httpx client; rebuilt when the tenant's account changes."""

    def __init__(self, source: CredentialsSource, http: httpx.AsyncClient, budgets: BudgetFactory,
                 limits: ClientLimits = ClientLimits()) -> None:
        self.source = source
        self._http = http
        self._budgets = budgets
        self._limits = limits
        self._clients: dict[str, tuple[str, NetSuiteClient]] = {}

    async def for_tenant(self, tenant_id: str) -> tuple[NetSuiteClient, NetSuiteAccess]:
        """The tenant's client and access (``NotConnected`` / ``CredentialsUnavailable`` propagate)."""
        access = await self.source.access(tenant_id)
        known = self._clients.get(tenant_id)
        if known is None or known[0] != access.account_id:
            self._clients[tenant_id] = (access.account_id, self._build(tenant_id, access))
        return self._clients[tenant_id][1], access

    def _build(self, tenant_id: str, access: NetSuiteAccess) -> NetSuiteClient:
        limits = self._limits
        config = TenantConfig(
            tenant_key=tenant_id, account_id=access.account_id, credentials=access.tba or _NO_TOKEN,
            rest_base_template=_strip(access.rest_base_url, _REST_SUFFIX),
            restlet_base_template=_strip(access.restlet_base_url, _RESTLET_SUFFIX),
            account_concurrency_limit=limits.account_concurrency_limit,
            budget_limit=limits.budget_limit or access.budget_limit,
            timeout_s=limits.timeout_s, max_attempts=limits.max_attempts,
        )
        authenticator = ConnectorTokenAuth(self.source, tenant_id)
        budget = self._budgets(tenant_id, config.effective_budget_limit)
        return NetSuiteClient(config, http=self._http, budget=budget, authenticator=authenticator)


async def create_once(client: NetSuiteClient, record_type: str, external_id: str, body: dict) -> str:
    """``records.create_once``, also when a refusal hides an earlier write that landed.

    NetSuite may validate a record before it checks the externalId: re-posting a bank deposit
    whose first post committed is refused because its payments are already deposited, not with
    "This entity already exists.". So a refusal is only final once the externalId is not found.
    """
    try:
        return await client.records.create_once(record_type, external_id, body)
    except AuthenticationError:
        raise
    except PermanentNetSuiteError:
        existing = await client.records.find_id(record_type, external_id)
        if existing is None:
            raise
        return existing
