from __future__ import annotations

import asyncpg
import pytest

from sb_runtime.db import create_pool


@pytest.fixture
async def schema(database_url, unique):
    return f"rt_{unique}"


@pytest.fixture
async def pool(database_url, schema):
    from sb_runtime.migrate import apply_migrations

    connection = await asyncpg.connect(database_url)
    await apply_migrations(connection, schema, None)
    await connection.close()
    pool = await create_pool(database_url, schema, max_size=12)
    yield pool
    await pool.close()
