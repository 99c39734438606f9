"""``suitebridge migrate``: apply every service's numbered migrations (the Kubernetes migration Job).

Services also migrate on start (under an advisory lock); running this first means a rollout
never has two versions racing over a schema change, and a failing migration stops the rollout
before any pod of the new version starts.
"""
from __future__ import annotations

import importlib
import importlib.util
from pathlib import Path

import asyncpg

from sb_ops import catalog, ledger
from sb_runtime.migrate import apply_migrations


def migrations_dir(package: str) -> Path:
    """``services/<name>/migrations`` next to the package's ``src/`` (found without importing it)."""
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        raise LookupError(f"package {package!r} is not installed")
    return Path(next(iter(spec.submodule_search_locations))).resolve().parents[1] / "migrations"


def library_migrations(service: catalog.Service) -> dict[str, Path]:
    """Source name -> folder of the migrations the service's libraries bring (``<library>.MIGRATIONS``)."""
    return {source: folder for library in service.libraries
            for source, folder in importlib.import_module(library).MIGRATIONS.items()}


async def migrate(database_url: str, services: list[str]) -> dict[str, list[str]]:
    """Schema → migrations applied now (empty when it was up to date)."""
    applied: dict[str, list[str]] = {}
    connection = await asyncpg.connect(database_url)
    try:
        for name in services:
            service = catalog.service(name)
            directory = migrations_dir(service.package)
            applied[service.schema] = await apply_migrations(connection, service.schema,
                                                             directory if directory.is_dir() else None,
                                                             library_migrations(service))
        applied[ledger.SCHEMA] = await ledger.install(connection)
    finally:
        await connection.close()
    return applied
