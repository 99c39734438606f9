"""Issue 13: re-encrypting stored NetSuite tokens with a new Fernet key is an explicit ops command,
never a side effect of an instance starting (an instance still on the old keys must keep reading)."""
from __future__ import annotations

import asyncio

from cryptography.fernet import Fernet
from typer.testing import CliRunner

from connector.cli import cli
from connector.crypto import TokenCipher
from connector.testing import connect_through_form, running_connector

SEED = {"customers": 1, "invoices": 2, "months": 2, "random_seed": 6}


async def _sealed(app, tenant: str) -> bytes:
    async with app.state.shell.pool.acquire() as connection:
        row = await connection.fetchrow("SELECT refresh_token FROM connection_token WHERE tenant_id = $1", tenant)
    return bytes(row["refresh_token"])


async def test_starting_with_a_new_key_rewrites_nothing_and_the_command_rotates(ns, make_settings, callback_port,
                                                                                 unique, monkeypatch):
    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    account = ns.create_account(seed=SEED)
    tenant = f"t-{unique}"
    async with running_connector(make_settings(token_encryption_keys=old), callback_port) as (url, _):
        await connect_through_form(url, tenant, account["account_id"])
    rolled = make_settings(token_encryption_keys=f"{new},{old}")
    async with running_connector(rolled, callback_port) as (_, app):
        sealed = await _sealed(app, tenant)
    assert TokenCipher([old]).decrypt(sealed), "an instance still on the old key can read the stored tokens"

    monkeypatch.setenv("CONNECTOR_DATABASE_URL", rolled.database_url.get_secret_value())
    monkeypatch.setenv("CONNECTOR_DATABASE_SCHEMA", rolled.database_schema)
    monkeypatch.setenv("CONNECTOR_TOKEN_ENCRYPTION_KEYS", f"{new},{old}")
    result = await asyncio.to_thread(CliRunner().invoke, cli, ["rotate-keys"])
    assert result.exit_code == 0, result.output
    assert "1 tenant" in result.output
    async with running_connector(make_settings(token_encryption_keys=new), callback_port) as (_, app):
        assert TokenCipher([new]).decrypt(await _sealed(app, tenant))
