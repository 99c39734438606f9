from pathlib import Path

import asyncpg
import pytest

from sb_runtime.migrate import apply_migrations


async def test_migrations_apply_to_an_empty_database_and_are_idempotent(database_url, unique, tmp_path: Path):
    (tmp_path / "0001_things.sql").write_text("CREATE TABLE things (id int PRIMARY KEY);")
    (tmp_path / "0002_more.sql").write_text("ALTER TABLE things ADD COLUMN name text;")
    schema = f"mig_{unique}"
    connection = await asyncpg.connect(database_url)
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
    assert first == ["runtime/0001_inbox_outbox.sql", f"{schema}/0001_things.sql", f"{schema}/0002_more.sql"]
    assert second == []
    assert {c["column_name"] for c in columns} == {"id", "name"}
    assert {"inbox", "outbox", "things", "schema_migrations"} <= tables


async def test_a_failing_migration_leaves_nothing_half_applied(database_url, unique, tmp_path: Path):
    (tmp_path / "0001_ok.sql").write_text("CREATE TABLE ok (id int);")
    (tmp_path / "0002_bad.sql").write_text("CREATE TABLE half (id int); SELECT no_such_function();")
    schema = f"mig_{unique}"
    connection = await asyncpg.connect(database_url)
    try:
        with pytest.raises(asyncpg.PostgresError, match="no_such_function"):
            await apply_migrations(connection, schema, tmp_path)
        applied = [r["name"] for r in await connection.fetch(f'SELECT name FROM "{schema}".schema_migrations ORDER BY name')]
        half = await connection.fetchval("SELECT to_regclass($1)", f"{schema}.half")
    finally:
        await connection.close()
    assert set(applied) == {"runtime/0001_inbox_outbox.sql", f"{schema}/0001_ok.sql"}
    assert half is None
