"""Bearer tokens for the HTTP API: an admin token, and stateless tenant tokens.

A tenant token is ``sbt.<tenant_id>.<nonce>.<mac>`` where mac = HMAC-SHA256(signing key,
tenant_id + nonce). Every service can verify it with the shared signing key and no shared
table (services never read each other's tables).
"""
from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from dataclasses import dataclass

PREFIX = "sbt"


@dataclass(frozen=True)
class Principal:
    admin: bool
    tenant_id: str | None = None

    def can_see(self, tenant_id: str) -> bool:
        return self.admin or self.tenant_id == tenant_id


def _mac(key: bytes, tenant_id: str, nonce: str) -> str:
    digest = hmac.new(key, f"{tenant_id}\x00{nonce}".encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")


def mint_tenant_token(signing_key: str, tenant_id: str) -> str:
    nonce = secrets.token_urlsafe(12).replace(".", "_")
    return f"{PREFIX}.{tenant_id}.{nonce}.{_mac(signing_key.encode(), tenant_id, nonce)}"


def verify(token: str, admin_token: str, signing_key: str) -> Principal | None:
    """The principal a bearer token stands for, or None when it is not valid."""
    if admin_token and hmac.compare_digest(token.encode(), admin_token.encode()):
        return Principal(admin=True)
    parts = token.split(".")
    if len(parts) != 4 or parts[0] != PREFIX or not signing_key:
        return None
    _, tenant_id, nonce, mac = parts
    if hmac.compare_digest(mac, _mac(signing_key.encode(), tenant_id, nonce)):
        return Principal(admin=False, tenant_id=tenant_id)
    return None
