"""SQL for a tenant's NetSuite credentials at rest: OAuth 2.0 tokens or a TBA token set, always encrypted."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import asyncpg

SAVE_OAUTH2 = """
INSERT INTO connection_token (tenant_id, account_id, kind, access_token, refresh_token, access_expires_at,
                              refresh_expires_at, tba_credentials, role, entity)
VALUES ($1, $2, 'oauth2', $3, $4, to_timestamp($5), $6, NULL, $7, $8)
ON CONFLICT (tenant_id) DO UPDATE SET account_id = EXCLUDED.account_id, kind = 'oauth2',
    access_token = EXCLUDED.access_token, refresh_token = EXCLUDED.refresh_token,
    access_expires_at = EXCLUDED.access_expires_at, refresh_expires_at = EXCLUDED.refresh_expires_at,
    tba_credentials = NULL, role = EXCLUDED.role, entity = EXCLUDED.entity, connected_at = now(), refreshed_at = NULL
"""
SAVE_TBA = """
INSERT INTO connection_token (tenant_id, account_id, kind, access_token, refresh_token, access_expires_at,
                              refresh_expires_at, tba_credentials)
VALUES ($1, $2, 'tba', NULL, NULL, NULL, NULL, $3)
ON CONFLICT (tenant_id) DO UPDATE SET account_id = EXCLUDED.account_id, kind = 'tba', access_token = NULL,
    refresh_token = NULL, access_expires_at = NULL, refresh_expires_at = NULL,
    tba_credentials = EXCLUDED.tba_credentials, role = NULL, entity = NULL, connected_at = now(), refreshed_at = NULL
"""
GET_TOKENS = """
SELECT tenant_id, account_id, kind, access_token, refresh_token, extract(epoch FROM access_expires_at) AS expires_at,
       refresh_expires_at, tba_credentials
FROM connection_token WHERE tenant_id = $1
"""
LOCK_TOKENS = GET_TOKENS + " FOR UPDATE"
# A refresh answer without a refresh token leaves the stored one (and its expiry) as it is; one with a
# new refresh token (a rotating client) restarts its lifetime.
SAVE_ACCESS_TOKEN = """
UPDATE connection_token SET access_token = $2, access_expires_at = to_timestamp($3), refreshed_at = now(),
    refresh_token = COALESCE($4, refresh_token), refresh_expires_at = COALESCE($5, refresh_expires_at)
WHERE tenant_id = $1
"""
GET_KIND = "SELECT kind, refresh_expires_at FROM connection_token WHERE tenant_id = $1"
EXPIRING = """
SELECT t.tenant_id, t.account_id, c.refresh_expires_at
FROM connection_token c JOIN tenant t USING (tenant_id)
WHERE c.kind = 'oauth2' AND c.refresh_expires_at <= $1 AND t.status IN ('pending', 'connected')
ORDER BY c.refresh_expires_at LIMIT $2
"""
ALL_TOKENS = "SELECT tenant_id, access_token, refresh_token, tba_credentials FROM connection_token"
ROTATE_TOKENS = """
UPDATE connection_token SET access_token = $2, refresh_token = $3, tba_credentials = $4 WHERE tenant_id = $1
"""


@dataclass(frozen=True)
class StoredTokens:
    tenant_id: str
    account_id: str
    kind: str  # 'oauth2' | 'tba'
    access_token: bytes | None
    refresh_token: bytes | None
    expires_at: float | None
    refresh_expires_at: dt.datetime | None
    tba_credentials: bytes | None


@dataclass(frozen=True)
class CredentialsKind:
    kind: str
    refresh_expires_at: dt.datetime | None


@dataclass(frozen=True)
class Expiring:
    tenant_id: str
    account_id: str
    refresh_expires_at: dt.datetime


def _bytes(value) -> bytes | None:
    return bytes(value) if value is not None else None


async def save_oauth2(connection, tenant_id: str, account_id: str, access: bytes, refresh: bytes | None,
                      expires_at: float, refresh_expires_at: dt.datetime | None, role: str | None,
                      entity: str | None) -> None:
    await connection.execute(SAVE_OAUTH2, tenant_id, account_id, access, refresh, expires_at, refresh_expires_at,
                             role, entity)


async def save_tba(connection, tenant_id: str, account_id: str, sealed: bytes) -> None:
    await connection.execute(SAVE_TBA, tenant_id, account_id, sealed)


async def get_tokens(connection, tenant_id: str, lock: bool = False) -> StoredTokens | None:
    row = await connection.fetchrow(LOCK_TOKENS if lock else GET_TOKENS, tenant_id)
    if row is None:
        return None
    expires_at = float(row["expires_at"]) if row["expires_at"] is not None else None
    return StoredTokens(row["tenant_id"], row["account_id"], row["kind"], _bytes(row["access_token"]),
                        _bytes(row["refresh_token"]), expires_at, row["refresh_expires_at"],
                        _bytes(row["tba_credentials"]))


async def save_access_token(connection, tenant_id: str, access: bytes, expires_at: float,
                            refresh: bytes | None = None, refresh_expires_at: dt.datetime | None = None) -> None:
    await connection.execute(SAVE_ACCESS_TOKEN, tenant_id, access, expires_at, refresh, refresh_expires_at)


async def credentials_kind(connection, tenant_id: str) -> CredentialsKind | None:
    row = await connection.fetchrow(GET_KIND, tenant_id)
    return CredentialsKind(row["kind"], row["refresh_expires_at"]) if row else None


async def expiring(connection, before: dt.datetime, limit: int = 500) -> list[Expiring]:
    """OAuth 2.0 tenants still syncing whose refresh token expires before ``before``."""
    return [Expiring(**dict(row)) for row in await connection.fetch(EXPIRING, before, limit)]


async def rotate_tokens(pool: asyncpg.Pool, rotate) -> tuple[int, list[str]]:
    """Re-encrypt every stored token and TBA set with the current first key.

    Returns (rotated, tenants whose tokens no configured key opens). Those are left as they are
    — the service still starts, and the tenant's next NetSuite call asks for a reconnect —
    rather than one unreadable row keeping every tenant offline.
    """
    from cryptography.fernet import InvalidToken

    rotated, unreadable = 0, []
    async with pool.acquire() as connection, connection.transaction():
        for row in await connection.fetch(ALL_TOKENS + " FOR UPDATE"):
            try:
                sealed = [rotate(bytes(row[key])) if row[key] is not None else None
                          for key in ("access_token", "refresh_token", "tba_credentials")]
            except InvalidToken:
                unreadable.append(row["tenant_id"])
                continue
            await connection.execute(ROTATE_TOKENS, row["tenant_id"], *sealed)
            rotated += 1
    return rotated, unreadable
