"""Revoked tenant tokens: one small table every service reads (the connector writes it).

Tokens are stateless, so revoking one is recorded by its ``token_id`` in a schema owned by this
library (like the NetSuite budget), not by any one service. Rows can be pruned after the token's
own expiry.
"""
from __future__ import annotations

import re

import asyncpg
from fastapi import FastAPI, Request

from sb_runtime import tokens
from sb_runtime.http import error_response

SCHEMA_NAME = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")
TABLE = """
CREATE TABLE IF NOT EXISTS revoked_token (
    token_id   text PRIMARY KEY,
    tenant_id  text NOT NULL,
    expires_at timestamptz NOT NULL,
    revoked_at timestamptz NOT NULL DEFAULT now()
)"""
REVOKE = """
INSERT INTO {schema}.revoked_token (token_id, tenant_id, expires_at)
VALUES ($1, $2, now() + interval '400 days') ON CONFLICT (token_id) DO NOTHING"""
IS_REVOKED = "SELECT EXISTS (SELECT 1 FROM {schema}.revoked_token WHERE token_id = $1)"


def _checked(schema: str) -> str:
    if not SCHEMA_NAME.match(schema):
        raise ValueError(f"invalid schema name {schema!r}")
    return schema


async def install(pool: asyncpg.Pool, schema: str) -> None:
    """Create the revocation table (idempotent, serialised across services)."""
    schema = _checked(schema)
    async with pool.acquire() as connection, connection.transaction():
        await connection.execute("SELECT pg_advisory_xact_lock(hashtext($1))", f"revocation:{schema}")
        await connection.execute(f"CREATE SCHEMA IF NOT EXISTS {schema}")
        await connection.execute(TABLE.replace("revoked_token", f"{schema}.revoked_token", 1))


async def revoke(connection, schema: str, tenant_id: str, token_id: str) -> None:
    await connection.execute(REVOKE.format(schema=_checked(schema)), token_id, tenant_id)


async def is_revoked(pool: asyncpg.Pool, schema: str, token_id: str) -> bool:
    async with pool.acquire() as connection:
        return await connection.fetchval(IS_REVOKED.format(schema=_checked(schema)), token_id)


def refuse_revoked_tokens(app: FastAPI, pool_of, schema: str) -> None:
    """Answer 401 to any request whose bearer tenant token was revoked (before any route runs)."""

    @app.middleware("http")
    async def check(request: Request, call_next):
        scheme, _, token = request.headers.get("authorization", "").partition(" ")
        token_id = tokens.token_id_of(token.strip()) if scheme.lower() == "bearer" else None
        pool = pool_of()
        try:
            revoked = bool(token_id) and pool is not None and await is_revoked(pool, schema, token_id)
        except (OSError, asyncpg.PostgresError, asyncpg.InterfaceError):
            return error_response(503, "unavailable", "The token could not be checked; try again shortly.")
        if revoked:
            return error_response(401, "unauthorized", "A valid bearer token is required.")
        return await call_next(request)
