"""OAuth 2.0 authorization-code flow with PKCE (S256) against NetSuite, for the connector.

Typical use: ``verifier = new_code_verifier(); state = new_state()``, redirect the partner to
``build_authorize_url(...)``, then on the callback ``exchange_code(...)`` with the same
verifier; later ``refresh_access_token(...)``. A refused refresh (``invalid_grant``) raises
``ReconnectRequired``.
"""

from __future__ import annotations

import base64
import hashlib
import secrets
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from urllib.parse import urlencode

import httpx

from .errors import (
    AuthenticationError,
    OAuthError,
    ReconnectRequired,
    TransientNetSuiteError,
    parse_body,
    transport_error,
)

DEFAULT_SCOPES = ("rest_webservices", "restlets")


@dataclass(frozen=True)
class TokenSet:
    """Tokens from the token endpoint; ``expires_at`` in Unix seconds."""

    access_token: str = field(repr=False)
    refresh_token: str | None = field(repr=False)
    expires_at: float
    token_type: str = "bearer"


def new_code_verifier() -> str:
    """A random PKCE code verifier (86 URL-safe characters, within RFC 7636's 43-128)."""
    return secrets.token_urlsafe(64)


def code_challenge(verifier: str) -> str:
    """The S256 code challenge: unpadded base64url of SHA-256(verifier)."""
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


def new_state() -> str:
    """A random ``state`` value (43 characters; NetSuite requires 22-1024)."""
    return secrets.token_urlsafe(32)


def build_authorize_url(
    authorize_url: str,
    *,
    client_id: str,
    redirect_uri: str,
    state: str,
    code_verifier: str,
    scopes: Sequence[str] = DEFAULT_SCOPES,
    prompt: str | None = None,
) -> str:
    """The URL of NetSuite's consent page for this flow."""
    params = {
        "response_type": "code",
        "client_id": client_id,
        "redirect_uri": redirect_uri,
        "scope": " ".join(scopes),
        "state": state,
        "code_challenge": code_challenge(code_verifier),
        "code_challenge_method": "S256",
    }
    if prompt:
        params["prompt"] = prompt
    return f"{authorize_url}?{urlencode(params)}"


async def exchange_code(
    http: httpx.AsyncClient,
    token_url: str,
    *,
    client_id: str,
    client_secret: str,
    code: str,
    redirect_uri: str,
    code_verifier: str,
) -> TokenSet:
    """Exchange an authorization code (+ PKCE verifier) for tokens; errors -> ``OAuthError``."""
    form = {
        "grant_type": "authorization_code",
        "code": code,
        "redirect_uri": redirect_uri,
        "code_verifier": code_verifier,
    }
    return await _token_request(http, token_url, client_id, client_secret, form, refresh=False)


async def refresh_access_token(
    http: httpx.AsyncClient, token_url: str, client_id: str, client_secret: str, refresh_token: str
) -> TokenSet:
    """A new access token; ``ReconnectRequired`` when the refresh token is refused."""
    form = {"grant_type": "refresh_token", "refresh_token": refresh_token}
    return await _token_request(http, token_url, client_id, client_secret, form, refresh=True)


async def _token_request(
    http: httpx.AsyncClient,
    token_url: str,
    client_id: str,
    client_secret: str,
    form: dict[str, str],
    *,
    refresh: bool,
) -> TokenSet:
    path = httpx.URL(token_url).path
    try:
        response = await http.post(token_url, data=form, auth=httpx.BasicAuth(client_id, client_secret))
    except httpx.TransportError as exc:
        raise transport_error(exc, method="POST", path=path) from None
    body = parse_body(response.text)
    if response.is_success and isinstance(body, dict) and "access_token" in body:
        return _token_set(body)
    raise _token_error(response.status_code, body, path, refresh=refresh)


def _token_set(body: dict) -> TokenSet:
    # NetSuite's expires_in has been seen both as a number and as a string.
    expires_in = float(body.get("expires_in") or 3600)
    return TokenSet(
        access_token=body["access_token"],
        refresh_token=body.get("refresh_token"),
        expires_at=time.time() + expires_in,
        token_type=str(body.get("token_type", "bearer")),
    )


def _token_error(status: int, body: object, path: str, *, refresh: bool) -> Exception:
    code, detail = None, f"HTTP {status}"
    if isinstance(body, dict):
        code = body.get("error")
        detail = str(body.get("error_description") or code or detail)
        if code is None and body.get("o:errorDetails"):
            first = body["o:errorDetails"][0]
            code, detail = first.get("o:errorCode"), str(first.get("detail", detail))
    kwargs = {"status": status, "code": code, "body": body, "method": "POST", "path": path}
    if status == 429 or status >= 500:
        return TransientNetSuiteError(detail, **kwargs)
    if code == "invalid_grant" and refresh:
        return ReconnectRequired(detail, **kwargs)
    if code == "invalid_client" or status == 401:
        return AuthenticationError(detail, **kwargs)
    return OAuthError(detail, **kwargs)
