"""``suitebridge migrate`` (the migration Job) and where the tool finds the stack."""
from __future__ import annotations

import json

from sb_ops import config
from sb_ops.migrate import migrations_dir


async def test_migrate_applies_every_service_schema_and_the_ops_schema(cli, ops, database_url):
    first = await cli("migrate")
    assert first.exit_code == 0, first.output
    for schema in ("connector", "invoice_sync", "payment_reconciler", "deposit_writer", "ops"):
        assert await ops.fetchval(database_url, "SELECT to_regclass($1) IS NOT NULL", f"{schema}.schema_migrations")
    assert await ops.fetchval(database_url, "SELECT to_regclass('ops.redriven') IS NOT NULL")
    again = await cli("migrate", "--service", "deposit-writer")
    assert "deposit_writer: up to date" in again.output


def test_migrations_are_found_next_to_each_service_without_importing_it():
    assert migrations_dir("invoice_sync").parts[-3:] == ("services", "invoice-sync", "migrations")


def test_flags_win_over_environment_which_wins_over_the_stack_file(tmp_path, monkeypatch):
    stack = tmp_path / "stack.json"
    stack.write_text(json.dumps({"kafka_bootstrap_servers": "stack:9092", "database_url": "postgresql://stack",
                                 "connector_url": "http://stack", "admin_token": "from-stack",
                                 "demo": {"tenant_id": "demo-1"}}))
    monkeypatch.setenv("SUITEBRIDGE_DATABASE_URL", "postgresql://env")
    monkeypatch.setenv("SUITEBRIDGE_CONNECTOR_URL", "http://env")
    found = config.load(stack, connector_url="http://flag")
    assert (found.kafka_bootstrap_servers, found.database_url, found.connector_url, found.admin_token) == (
        "stack:9092", "postgresql://env", "http://flag", "from-stack")
    assert found.demo_tenant == "demo-1"
    assert "from-stack" not in repr(found)


def test_a_missing_setting_says_how_to_give_it(tmp_path):
    found = config.load(tmp_path / "absent.json")
    try:
        found.require("kafka_bootstrap_servers")
    except config.MissingSetting as error:
        assert "--bootstrap-servers" in str(error) and "SUITEBRIDGE_KAFKA_BOOTSTRAP_SERVERS" in str(error)
    else:
        raise AssertionError("expected MissingSetting")
