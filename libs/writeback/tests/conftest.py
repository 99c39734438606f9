import asyncpg
import pytest

from sb_runtime.db import create_pool
from sb_writeback.fixtures import emulator  # noqa: F401 - fixture


@pytest.fixture
async def pool(database_url, unique):
    """A fresh schema holding the tables the write-back helpers work on (as the services' migrations do)."""
    schema = f"wb_{unique}"
    connection = await asyncpg.connect(database_url)
    await connection.execute(f"CREATE SCHEMA {schema}")
    await connection.close()
    pool = await create_pool(database_url, schema)
    await pool.execute("CREATE TABLE action_items (tenant_id text, item_id text, open boolean NOT NULL, "
                       "generation integer NOT NULL, data jsonb NOT NULL, PRIMARY KEY (tenant_id, item_id))")
    yield pool
    await pool.close()
