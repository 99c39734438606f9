"""Numbered plain-SQL migrations, one PostgreSQL schema per service.

Files are ``NNNN_<what>.sql``; each is applied once, in order, inside a transaction, and
recorded in ``<schema>.schema_migrations``. An advisory lock serialises concurrent starters.
"""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

import asyncpg

RUNTIME_SQL = Path(__file__).with_name("sql")
_NAME = re.compile(r"^(\d{4})_[a-z0-9_]+\.sql$")
_SCHEMA = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")


@dataclass(frozen=True)
class Migration:
    source: str  # "runtime" or the service schema
    version: str
    path: Path

    @property
    def name(self) -> str:
        return f"{self.source}/{self.path.name}"


def discover(source: str, directory: Path) -> list[Migration]:
    found = []
    for path in sorted(directory.glob("*.sql")):
        match = _NAME.match(path.name)
        if not match:
            raise ValueError(f"migration file name must look like 0001_what.sql: {path.name}")
        found.append(Migration(source, match.group(1), path))
    return found


async def apply_migrations(connection: asyncpg.Connection, schema: str, directory: Path | None,
                           libraries: dict[str, Path] | None = None) -> list[str]:
    """Apply runtime migrations, then those of the ``libraries`` (source name -> folder) the service
    uses, then the service's own, into ``schema``; return the names applied."""
    if not _SCHEMA.match(schema):
        raise ValueError(f"invalid schema name: {schema!r}")
    plan = discover("runtime", RUNTIME_SQL)
    for source, folder in (libraries or {}).items():
        plan += discover(source, folder)
    plan += discover(schema, directory) if directory else []
    lock_key = int.from_bytes(hashlib.sha256(schema.encode()).digest()[:8], "big", signed=True)
    applied: list[str] = []
    await connection.execute("SELECT pg_advisory_lock($1)", lock_key)
    try:
        await connection.execute(f'CREATE SCHEMA IF NOT EXISTS "{schema}"')
        await connection.execute(
            f'CREATE TABLE IF NOT EXISTS "{schema}".schema_migrations '
            "(name text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())"
        )
        done = {r["name"] for r in await connection.fetch(f'SELECT name FROM "{schema}".schema_migrations')}
        for migration in plan:
            if migration.name in done:
                continue
            async with connection.transaction():
                await connection.execute(f'SET LOCAL search_path TO "{schema}", public')
                await connection.execute(migration.path.read_text())
                await connection.execute(
                    f'INSERT INTO "{schema}".schema_migrations (name) VALUES ($1)', migration.name
                )
            applied.append(migration.name)
    finally:
        await connection.execute("SELECT pg_advisory_unlock($1)", lock_key)
    return applied
