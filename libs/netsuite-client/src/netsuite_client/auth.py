"""Request authentication: TBA (OAuth 1.0a, HMAC-SHA256) and OAuth 2.0 bearer tokens.

The client asks its ``Authenticator`` for a fresh ``Authorization`` value on every attempt, so
every retry carries a new nonce and timestamp (TBA) or the newest access token (OAuth 2.0).
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import hmac
import secrets
import time
from collections.abc import Callable
from dataclasses import replace
from typing import Protocol
from urllib.parse import quote

import httpx

from .config import OAuth2Credentials, TbaCredentials, TenantConfig
from .errors import ReconnectRequired
from .oauth2 import refresh_access_token

REFRESH_MARGIN_S = 60.0


def percent_encode(value: str) -> str:
    """RFC 3986 percent-encoding as OAuth 1.0a requires (only ``A-Za-z0-9-._~`` kept)."""
    return quote(value, safe="")


def base_string_uri(url: httpx.URL) -> str:
    """Scheme and host lower-cased, default port dropped, path as sent, no query."""
    scheme, host = url.scheme.lower(), url.host.lower()
    default_port = url.port is None or (scheme, url.port) in (("http", 80), ("https", 443))
    netloc = host if default_port else f"{host}:{url.port}"
    path = url.raw_path.split(b"?", 1)[0].decode("ascii") or "/"
    return f"{scheme}://{netloc}{path}"


def signature_base_string(method: str, url: httpx.URL, oauth_params: dict[str, str]) -> str:
    """``METHOD&enc(uri)&enc(params)`` with the URL query and oauth_* params (realm excluded)."""
    pairs = list(url.params.multi_items())
    pairs += [(k, v) for k, v in oauth_params.items() if k not in ("realm", "oauth_signature")]
    encoded = sorted((percent_encode(k), percent_encode(v)) for k, v in pairs)
    normalized = "&".join(f"{k}={v}" for k, v in encoded)
    parts = (method.upper(), base_string_uri(url), normalized)
    return "&".join(percent_encode(part) for part in parts)


def hmac_sha256_signature(base_string: str, consumer_secret: str, token_secret: str) -> str:
    key = f"{percent_encode(consumer_secret)}&{percent_encode(token_secret)}"
    digest = hmac.new(key.encode(), base_string.encode(), hashlib.sha256).digest()
    return base64.b64encode(digest).decode("ascii")


def tba_authorization(
    method: str,
    url: httpx.URL | str,
    credentials: TbaCredentials,
    realm: str,
    *,
    nonce: str | None = None,
    timestamp: int | None = None,
) -> str:
    """The ``Authorization: OAuth ...`` header value for one request (JSON body not signed)."""
    url = httpx.URL(url)
    params = {
        "oauth_consumer_key": credentials.consumer_key,
        "oauth_token": credentials.token_id,
        "oauth_signature_method": "HMAC-SHA256",
        "oauth_timestamp": str(timestamp if timestamp is not None else int(time.time())),
        "oauth_nonce": nonce or secrets.token_hex(16),
        "oauth_version": "1.0",
    }
    base = signature_base_string(method, url, params)
    params["oauth_signature"] = hmac_sha256_signature(
        base, credentials.consumer_secret, credentials.token_secret
    )
    fields = [f'realm="{percent_encode(realm)}"']
    fields += [f'{k}="{percent_encode(v)}"' for k, v in params.items()]
    return "OAuth " + ", ".join(fields)


class Authenticator(Protocol):
    """Produces the Authorization header for one attempt; may recover from a 401 once."""

    async def authorization(self, method: str, url: httpx.URL) -> str: ...

    async def recover_from_401(self, used_authorization: str) -> bool: ...


class TbaAuth:
    """Signs every attempt afresh with the tenant's TBA credentials."""

    def __init__(self, credentials: TbaCredentials, realm: str) -> None:
        self._credentials = credentials
        self._realm = realm

    async def authorization(self, method: str, url: httpx.URL) -> str:
        return tba_authorization(method, url, self._credentials, self._realm)

    async def recover_from_401(self, used_authorization: str) -> bool:
        return False


class OAuth2Auth:
    """Bearer tokens; refreshes before expiry or after a 401, one refresh at a time."""

    def __init__(
        self, config: TenantConfig, http: httpx.AsyncClient, clock: Callable[[], float] = time.time
    ) -> None:
        assert isinstance(config.credentials, OAuth2Credentials)
        self._config = config
        self._credentials = config.credentials
        self._http = http
        self._clock = clock
        self._lock = asyncio.Lock()

    @property
    def credentials(self) -> OAuth2Credentials:
        return self._credentials

    async def authorization(self, method: str, url: httpx.URL) -> str:
        if self._credentials.expires_at - REFRESH_MARGIN_S <= self._clock():
            await self._refresh(stale_token=self._credentials.access_token)
        return f"Bearer {self._credentials.access_token}"

    async def recover_from_401(self, used_authorization: str) -> bool:
        await self._refresh(stale_token=used_authorization.removeprefix("Bearer "))
        return True

    async def _refresh(self, stale_token: str) -> None:
        async with self._lock:
            if self._credentials.access_token != stale_token:
                return  # another task refreshed while we waited
            current = self._credentials
            if not current.refresh_token:
                raise ReconnectRequired("no refresh token", code="invalid_grant")
            tokens = await refresh_access_token(
                self._http, self._config.token_url, current.client_id,
                current.client_secret, current.refresh_token,
            )
            self._credentials = replace(
                current,
                access_token=tokens.access_token,
                refresh_token=tokens.refresh_token or current.refresh_token,
                expires_at=tokens.expires_at,
            )
            if self._config.on_token_refresh is not None:
                await self._config.on_token_refresh(self._config.tenant_key, self._credentials)


def authenticator_for(config: TenantConfig, http: httpx.AsyncClient) -> Authenticator:
    """The authenticator matching the tenant's credential kind."""
    if isinstance(config.credentials, TbaCredentials):
        return TbaAuth(config.credentials, config.realm)
    return OAuth2Auth(config, http)
