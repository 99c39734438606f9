"""The Docker Compose files, parsed and checked offline (Docker itself cannot run here)."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from sb_ops import catalog
from sb_ops.config import ENV

DEPLOY = Path(__file__).resolve().parents[2] / "deploy"
DEPLOY_FILES = ("compose.yaml", "compose.emulator.yaml")
INTERPOLATION = re.compile(r"\$\{([A-Z0-9_]+)(:?[-?][^}]*)?\}")


def _env(service: dict) -> dict[str, str]:
    env = service.get("environment", {})
    if isinstance(env, list):
        env = dict(item.split("=", 1) for item in env)
    return {key: str(value) for key, value in env.items()}


def test_kafka_runs_in_kraft_mode_without_zookeeper(compose):
    services = compose["services"]
    kafka = services["kafka"]
    env = _env(kafka)
    assert kafka["image"].startswith("apache/kafka:")
    assert set(env["KAFKA_PROCESS_ROLES"].split(",")) == {"broker", "controller"}
    assert env["KAFKA_CONTROLLER_QUORUM_VOTERS"].startswith(f"{env['KAFKA_NODE_ID']}@")
    assert "CONTROLLER" in env["KAFKA_CONTROLLER_LISTENER_NAMES"] and "CLUSTER_ID" in env
    assert env["KAFKA_AUTO_CREATE_TOPICS_ENABLE"] == "false"
    assert not any("zookeeper" in name for name in services)
    assert not any("ZOOKEEPER" in key for s in services.values() for key in _env(s))
    assert "healthcheck" in kafka


def test_postgres_is_there_with_a_health_check_and_a_password_from_the_env_file(compose):
    postgres = compose["services"]["postgres"]
    assert postgres["image"].startswith("postgres:")
    assert "pg_isready" in " ".join(postgres["healthcheck"]["test"])
    assert _env(postgres)["POSTGRES_PASSWORD"].startswith("${POSTGRES_PASSWORD:?")


@pytest.mark.parametrize("name", sorted(catalog.SERVICES))
def test_each_service_has_its_prefixed_environment_covering_every_required_setting(compose, settings_rules, name):
    known = catalog.SERVICES[name]
    service = compose["services"][name]
    env = _env(service)
    assert service["command"] == ["python", "-m", known.package]
    assert all(key.startswith(known.env_prefix) for key in env), "every variable carries the service's prefix"
    assert not settings_rules.required_env(known) - set(env), "required settings not set"
    assert not settings_rules.unknown_env(known, set(env)), "variables no setting reads"
    for variable in settings_rules.secret_env(known) & set(env):
        assert "${" in env[variable], f"{variable}: secrets come from deploy/.env, never literal"
    assert env[f"{known.env_prefix}HTTP_HOST"] == "0.0.0.0"
    assert env[f"{known.env_prefix}KAFKA_BOOTSTRAP_SERVERS"] == "kafka:9092"
    assert "@postgres:5432/" in env[f"{known.env_prefix}DATABASE_URL"]
    depends = service["depends_on"]
    assert depends["kafka"]["condition"] == depends["postgres"]["condition"] == "service_healthy"
    assert depends["migrate"]["condition"] == "service_completed_successfully"
    assert f":{env[f'{known.env_prefix}HTTP_PORT']}/readyz" in " ".join(service["healthcheck"]["test"])


def test_the_migration_step_and_the_ops_tool_use_the_tools_variables(compose):
    migrate, ops = compose["services"]["migrate"], compose["services"]["ops"]
    assert migrate["command"] == ["python", "-m", "sb_ops", "migrate"]
    assert set(_env(migrate)) <= set(ENV.values()) and set(_env(ops)) <= set(ENV.values())
    assert ops["entrypoint"] == ["python", "-m", "sb_ops"] and ops["profiles"] == ["ops"]


def test_the_emulator_is_optional_and_the_override_points_the_connector_at_it(compose, compose_emulator,
                                                                              settings_rules):
    emulator = compose["services"]["netsuite-emulator"]
    assert emulator["profiles"] == ["emulator"]
    assert emulator["command"][:4] == ["python", "-m", "netsuite_emulator", "serve"]
    assert emulator["command"][emulator["command"].index("--host") + 1] == "0.0.0.0"
    connector = compose_emulator["services"]["connector"]
    env = _env(connector)
    assert env and not settings_rules.unknown_env(catalog.SERVICES["connector"], set(env))
    assert all(value.startswith(("http://netsuite-emulator:8080", "${SUITEBRIDGE_EMULATOR_PUBLIC_URL"))
               for value in env.values())
    assert "netsuite-emulator" in connector["depends_on"]
    assert "profiles" not in compose["services"]["connector"]  # the services run with or without the emulator


def test_every_variable_without_a_default_is_documented_in_the_env_example():
    documented = {line.split("=", 1)[0] for line in (DEPLOY / ".env.example").read_text().splitlines()
                  if line and not line.startswith("#")}
    used = set()
    for name in DEPLOY_FILES:
        for variable, default in INTERPOLATION.findall((DEPLOY / name).read_text()):
            if not default.startswith((":-", "-")):
                used.add(variable)
    assert used and used <= documented, used - documented
