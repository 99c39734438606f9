"""Bearer tokens for the HTTP API: an admin token, and stateless tenant tokens with an expiry.

A tenant token is ``sbt2.<tenant_id>.<expires>.<token_id>.<mac>``, mac = HMAC-SHA256(signing key,
tenant_id, expires, token_id). Tenant ids may contain dots: the last three parts are fixed, so
everything between the prefix and them is the tenant id. Every service verifies a token with the
shared signing keys and no shared table; revocation (``sb_runtime.revocation``) is one indexed
look-up of ``token_id``.

Signing keys are one setting, comma separated: the first signs and verifies; each further entry
``<key>@<ISO-8601 instant>`` still verifies until that instant (the rotation grace period).
The old format ``sbt.<tenant_id>.<nonce>.<mac>`` (no expiry) is refused.
"""
from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import secrets
import time
from dataclasses import dataclass

PREFIX = "sbt2"
DEFAULT_TTL_S = 90 * 24 * 3600


@dataclass(frozen=True)
class Principal:
    admin: bool
    tenant_id: str | None = None
    token_id: str | None = None
    expires_at: int | None = None

    def can_see(self, tenant_id: str) -> bool:
        return self.admin or self.tenant_id == tenant_id


@dataclass(frozen=True)
class SigningKey:
    secret: bytes
    valid_until: float | None = None  # None: the current key


def signing_keys(setting: str) -> list[SigningKey]:
    """Parse the signing-key setting; entries after the first need ``@<until>`` to count."""
    keys: list[SigningKey] = []
    for position, entry in enumerate(part.strip() for part in setting.split(",")):
        if not entry:
            continue
        if position == 0:
            keys.append(SigningKey(entry.encode()))
            continue
        secret, _, until = entry.rpartition("@")
        try:
            instant = dt.datetime.fromisoformat(until.replace("Z", "+00:00"))
        except ValueError:
            continue  # a previous key without a grace end is not trusted
        if secret:
            keys.append(SigningKey(secret.encode(), instant.timestamp()))
    return keys


def _mac(key: bytes, tenant_id: str, expires: str, token_id: str) -> bytes:
    message = "\x00".join((PREFIX, tenant_id, expires, token_id)).encode()
    return base64.urlsafe_b64encode(hmac.new(key, message, hashlib.sha256).digest()).rstrip(b"=")


def mint_tenant_token(signing_key: str, tenant_id: str, ttl_s: int = DEFAULT_TTL_S, now: float | None = None) -> str:
    """A new token for ``tenant_id``, signed with the first key of the setting."""
    key = signing_keys(signing_key)[0].secret
    expires = str(int((time.time() if now is None else now) + ttl_s))
    token_id = secrets.token_urlsafe(12).replace(".", "_")
    return f"{PREFIX}.{tenant_id}.{expires}.{token_id}.{_mac(key, tenant_id, expires, token_id).decode()}"


def token_id_of(token: str) -> str | None:
    """The id a tenant token is revoked by (not a verification)."""
    parts = token.split(".")
    return parts[-2] if len(parts) >= 5 and parts[0] == PREFIX else None


def verify(token: str, admin_token: str, signing_key: str, now: float | None = None) -> Principal | None:
    """The principal a bearer token stands for, or None when it is not valid (never raises)."""
    try:
        raw = token.encode("utf-8", "surrogateescape")
    except (AttributeError, UnicodeError):
        return None
    if admin_token and hmac.compare_digest(raw, admin_token.encode()):
        return Principal(admin=True)
    if not token.isascii():
        return None
    return _tenant_principal(token, signing_key, time.time() if now is None else now)


def _tenant_principal(token: str, signing_key: str, now: float) -> Principal | None:
    head, _, rest = token.partition(".")
    parts = rest.rsplit(".", 3)
    if head != PREFIX or len(parts) != 4 or not signing_key:
        return None
    tenant_id, expires, token_id, mac = parts
    if not tenant_id or not expires.isdigit() or int(expires) <= now:
        return None
    for key in signing_keys(signing_key):
        if key.valid_until is not None and key.valid_until <= now:
            continue
        if hmac.compare_digest(mac.encode(), _mac(key.secret, tenant_id, expires, token_id)):
            return Principal(admin=False, tenant_id=tenant_id, token_id=token_id, expires_at=int(expires))
    return None
