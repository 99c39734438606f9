"""NetSuite credentials for write-back, served by the connector (decision 0004).

The connector owns the OAuth tokens and refreshes them; write-back asks
``GET {connector}/internal/tenants/{tenant}/netsuite/credentials`` on the connector's internal
listener with the service token (``*_CONNECTOR_TOKEN``, never the admin token) and
caches the answer until shortly before ``expires_at``. A tenant connected with token-based
authentication answers ``kind: "tba"`` with its TBA set (no expiry): write-back signs each
request. ``CredentialsSource`` is the seam: tests
use ``testing.StaticCredentials`` (an emulator account's TBA credentials) instead.
Tokens never reach a log line or an exception message.
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol

import httpx
from netsuite_client import TbaCredentials

from sb_runtime.errors import NotConnected, TransientError
from sb_writeback.locks import KeyedLocks

REFRESH_MARGIN_S = 20.0  # below the connector's own refresh margin, so asking again yields a new token


@dataclass(frozen=True)
class NetSuiteAccess:
    """How to reach one tenant's NetSuite account: a bearer access token, or TBA credentials."""

    account_id: str
    rest_base_url: str  # ``https://<label>.suitetalk.api.netsuite.com`` or ``http://emulator/accounts/<id>``
    restlet_base_url: str
    timezone: str | None = None
    access_token: str | None = field(default=None, repr=False)
    expires_at: float | None = None  # Unix seconds
    tba: TbaCredentials | None = field(default=None, repr=False)
    budget_limit: int | None = None  # the tenant's budget as the connector uses it (same slots for all)

    @property
    def credential_id(self) -> str | None:
        """What a refused request was signed with: the bearer token, or the TBA token id."""
        return self.tba.token_id if self.tba is not None else self.access_token


class CredentialsUnavailable(TransientError):
    """The connector could not answer just now: retry later."""


class CredentialsSource(Protocol):
    async def access(self, tenant_id: str, *, stale_token: str | None = None) -> NetSuiteAccess:
        """The tenant's access; ``stale_token`` (one NetSuite refused) forces a fresh one."""
        ...


def _epoch(value: Any) -> float | None:
    if value is None or isinstance(value, (int, float)):
        return value
    return datetime.fromisoformat(str(value).replace("Z", "+00:00")).timestamp()


def _tba_from(body: dict[str, Any]) -> TbaCredentials | None:
    if body.get("kind", "oauth2") != "tba":
        return None
    tba = body["tba"]
    return TbaCredentials(tba["consumer_key"], tba["consumer_secret"], tba["token_id"], tba["token_secret"])


def _access_from(body: dict[str, Any]) -> NetSuiteAccess:
    tba = _tba_from(body)
    return NetSuiteAccess(
        account_id=body["account_id"], rest_base_url=body["rest_base_url"],
        restlet_base_url=body.get("restlet_base_url") or body["rest_base_url"],
        timezone=body.get("timezone"), access_token=None if tba else body["access_token"],
        expires_at=None if tba else _epoch(body.get("expires_at")), tba=tba, budget_limit=body.get("budget_limit"),
    )


class ConnectorCredentials:
    """Asks the connector's internal endpoint; one request per tenant at a time, cached until expiry."""

    def __init__(self, http: httpx.AsyncClient, connector_url: str, admin_token: str,
                 clock=time.time) -> None:
        self._http = http
        self._base = connector_url.rstrip("/")
        self._admin_token = admin_token
        self._clock = clock
        self._cache: dict[str, NetSuiteAccess] = {}
        self._locks = KeyedLocks()

    def _usable(self, access: NetSuiteAccess | None, stale_token: str | None) -> bool:
        if access is None or (stale_token is not None and access.credential_id == stale_token):
            return False
        return access.expires_at is None or access.expires_at - REFRESH_MARGIN_S > self._clock()

    async def access(self, tenant_id: str, *, stale_token: str | None = None) -> NetSuiteAccess:
        if self._usable(self._cache.get(tenant_id), stale_token):
            return self._cache[tenant_id]
        async with self._locks.hold(tenant_id):
            if not self._usable(self._cache.get(tenant_id), stale_token):
                self._cache[tenant_id] = await self._fetch(tenant_id)
            return self._cache[tenant_id]

    async def _fetch(self, tenant_id: str) -> NetSuiteAccess:
        url = f"{self._base}/internal/tenants/{tenant_id}/netsuite/credentials"
        try:
            response = await self._http.get(url, headers={"Authorization": f"Bearer {self._admin_token}"})
        except httpx.TransportError as error:
            raise CredentialsUnavailable(f"connector unreachable: {type(error).__name__}") from None
        if response.status_code in (404, 409, 410, 422):
            raise NotConnected(_error_message(response))
        if response.status_code != 200:
            raise CredentialsUnavailable(f"connector answered {response.status_code}: {_error_message(response)}")
        try:
            return _access_from(response.json())
        except (KeyError, ValueError, TypeError) as error:
            raise CredentialsUnavailable(
                f"connector answered an unreadable credentials body ({type(error).__name__})") from None


def _error_message(response: httpx.Response) -> str:
    try:
        return str(response.json()["error"]["message"])
    except (ValueError, KeyError, TypeError):
        return f"HTTP {response.status_code}"
