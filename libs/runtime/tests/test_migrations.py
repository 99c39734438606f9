from pathlib import Path

import asyncpg
import pytest

from sb_runtime.migrate import RUNTIME_SQL, apply_migrations

RUNTIME = [f"runtime/{path.name}" for path in sorted(RUNTIME_SQL.glob("*.sql"))]


def migrations(folder: Path, **files: str) -> Path:
    """``folder`` holding one file per ``name=sql``."""
    for name, sql in files.items():
        (folder / f"{name}.sql").write_text(sql)
    return folder


async def test_migrations_apply_to_an_empty_database_and_are_idempotent(database_url, unique, tmp_path: Path):
    migrations(tmp_path, **{"0001_things": "CREATE TABLE things (id int PRIMARY KEY);",
                            "0002_more": "ALTER TABLE things ADD COLUMN name text;"})
    schema, connection = f"mig_{unique}", await asyncpg.connect(database_url)
    try:
        first = await apply_migrations(connection, schema, tmp_path)
        second = await apply_migrations(connection, schema, tmp_path)
        columns = await connection.fetch(
            "SELECT column_name FROM information_schema.columns WHERE table_schema = $1 AND table_name = 'things'",
            schema)
        tables = {r["table_name"] for r in await connection.fetch(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = $1", schema)}
    finally:
        await connection.close()
    assert first == [*RUNTIME, f"{schema}/0001_things.sql", f"{schema}/0002_more.sql"]
    assert second == []
    assert {c["column_name"] for c in columns} == {"id", "name"}
    assert {"inbox", "outbox", "things", "schema_migrations"} <= tables


async def test_a_failing_migration_leaves_nothing_half_applied(database_url, unique, tmp_path: Path):
    migrations(tmp_path, **{"0001_ok": "CREATE TABLE ok (id int);",
                            "0002_bad": "CREATE TABLE half (id int); SELECT no_such_function();"})
    schema, connection = f"mig_{unique}", await asyncpg.connect(database_url)
    try:
        with pytest.raises(asyncpg.PostgresError, match="no_such_function"):
            await apply_migrations(connection, schema, tmp_path)
        applied = [r["name"] for r in await connection.fetch(f'SELECT name FROM "{schema}".schema_migrations ORDER BY name')]
        half = await connection.fetchval("SELECT to_regclass($1)", f"{schema}.half")
    finally:
        await connection.close()
    assert set(applied) == {*RUNTIME, f"{schema}/0001_ok.sql"}
    assert half is None


async def test_library_migrations_apply_between_the_runtimes_and_the_services(database_url, unique, tmp_path: Path):
    (tmp_path / "library").mkdir()
    (tmp_path / "service").mkdir()
    library = migrations(tmp_path / "library", **{"0001_shared": "CREATE TABLE IF NOT EXISTS shared (id int);"})
    service = migrations(tmp_path / "service", **{"0002_own": "CREATE TABLE own (shared_id int);"})
    schema, connection = f"mig_{unique}", await asyncpg.connect(database_url)
    try:
        applied = await apply_migrations(connection, schema, service, {"lib": library})
    finally:
        await connection.close()
    assert applied == [*RUNTIME, "lib/0001_shared.sql", f"{schema}/0002_own.sql"]
