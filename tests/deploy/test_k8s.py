"""Kubernetes manifests, checked offline: JSON Schema per kind, then what suitebridge needs of them."""
from __future__ import annotations

import importlib.util
import json
import re
from pathlib import Path

import pytest
import yaml
from jsonschema import Draft202012Validator
from referencing import Registry, Resource

from sb_ops import catalog
from sb_ops.cli import app

SCHEMAS = Path(__file__).with_name("schemas")
KINDS = {"Deployment": "deployment", "Service": "service", "ConfigMap": "configmap", "Secret": "secret", "Job": "job"}
CREDENTIAL_IN_URL = re.compile(r"://[^/@\s:]+:[^/@\s]+@")


def _validator(kind: str) -> Draft202012Validator:
    registry = Registry().with_resources(
        (path.name, Resource.from_contents(json.loads(path.read_text()))) for path in SCHEMAS.glob("*.json"))
    schema = json.loads((SCHEMAS / f"{KINDS[kind]}.schema.json").read_text())
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema, registry=registry)


def _errors(document: dict) -> list[str]:
    if document.get("kind") not in KINDS:
        return [f"kind {document.get('kind')!r} has no schema here"]
    errors = _validator(document["kind"]).iter_errors(document)
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in errors]


def _of(manifests, kind: str) -> dict[str, dict]:
    return {doc["metadata"]["name"]: doc for _, doc in manifests if doc["kind"] == kind}


def _container(deployment: dict) -> dict:
    containers = deployment["spec"]["template"]["spec"]["containers"]
    assert len(containers) == 1
    return containers[0]


def _provided(manifests, container: dict) -> dict[str, str]:
    """Variable name → where it comes from ("configmap:<name>", "secret:<name>", "value")."""
    maps, found = _of(manifests, "ConfigMap"), {}
    for source in container.get("envFrom", []):
        if "configMapRef" in source:
            name = source["configMapRef"]["name"]
            found |= {key: f"configmap:{name}" for key in maps[name].get("data", {})}
    for variable in container.get("env", []):
        value_from = variable.get("valueFrom", {})
        found[variable["name"]] = ("secret:" + value_from["secretKeyRef"]["name"] if "secretKeyRef" in value_from
                                   else "configmap" if "configMapKeyRef" in value_from else "value")
    return found


def test_every_manifest_is_valid_against_the_schema_of_its_kind(manifests):
    assert {doc["kind"] for _, doc in manifests} == set(KINDS)
    problems = {where: errors for where, doc in manifests if (errors := _errors(doc))}
    assert not problems, problems


@pytest.mark.parametrize("mutate, complaint", [
    (lambda d: d["spec"]["template"]["spec"]["containers"][0].pop("resources"), "'resources' is a required property"),
    (lambda d: d["spec"]["template"]["spec"]["containers"][0]["livenessProbe"]["httpGet"].update(port=0), "port"),
    (lambda d: d["spec"]["template"]["spec"]["containers"][0].update(imagePullPolicy="Sometimes"), "Sometimes"),
    (lambda d: d["spec"].update(replica=2), "replica"),
])
def test_the_schemas_reject_broken_deployments(manifests, mutate, complaint):
    document = json.loads(json.dumps(_of(manifests, "Deployment")["connector"]))
    mutate(document)
    assert any(complaint in error for error in _errors(document))


def test_the_schemas_reject_a_config_map_value_that_is_not_a_string():
    document = yaml.safe_load("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\ndata: {X_HTTP_PORT: 8000}\n")
    assert _errors(document)


@pytest.mark.parametrize("name", sorted(catalog.SERVICES))
def test_each_service_runs_as_a_deployment_with_probes_on_its_http_port_and_resources(manifests, name):
    deployment, service = _of(manifests, "Deployment")[name], _of(manifests, "Service")[name]
    container = _container(deployment)
    known = catalog.SERVICES[name]
    assert container["command"] == ["python", "-m", known.package]
    assert importlib.util.find_spec(f"{known.package}.__main__") is not None
    config = _of(manifests, "ConfigMap")[f"{name}-config"]["data"]
    port = int(config[f"{known.env_prefix}HTTP_PORT"])
    assert config[f"{known.env_prefix}HTTP_HOST"] == "0.0.0.0"
    ports = {p["name"]: p["containerPort"] for p in container["ports"]}
    internal = config.get(f"{known.env_prefix}INTERNAL_HTTP_PORT")  # the connector's internal listener
    assert ports == {"http": port} | ({"internal": int(internal)} if internal else {})
    for probe, path in (("livenessProbe", "/healthz"), ("readinessProbe", "/readyz")):
        http_get = container[probe]["httpGet"]
        assert http_get["path"] == path and http_get["port"] in ("http", port), probe
    resources = container["resources"]
    assert set(resources["requests"]) == {"cpu", "memory"} and set(resources["limits"]) == {"cpu", "memory"}
    labels = deployment["spec"]["template"]["metadata"]["labels"]
    assert deployment["spec"]["selector"]["matchLabels"].items() <= labels.items()
    assert service["spec"]["selector"].items() <= labels.items()
    assert [p["targetPort"] for p in service["spec"]["ports"]] in (["http"], [port])
    assert deployment["spec"].get("replicas", 1) <= int(config[f"{known.env_prefix}TOPIC_PARTITIONS"])


@pytest.mark.parametrize("name", sorted(catalog.SERVICES))
def test_each_deployment_sets_every_required_setting_and_only_real_ones(manifests, settings_rules, name):
    known = catalog.SERVICES[name]
    provided = _provided(manifests, _container(_of(manifests, "Deployment")[name]))
    assert not settings_rules.required_env(known) - set(provided), "required settings not set"
    assert not settings_rules.unknown_env(known, set(provided)), "variables no setting reads"
    assert all(variable.startswith(known.env_prefix) for variable in provided)
    for variable in settings_rules.secret_env(known) & set(provided):
        assert provided[variable].startswith("secret:"), f"{variable} must come from a Secret"


def test_config_maps_hold_no_secret_values(manifests, settings_rules):
    secret_names = set().union(*(settings_rules.secret_env(s) for s in catalog.SERVICES.values()))
    for name, config in _of(manifests, "ConfigMap").items():
        for key, value in config.get("data", {}).items():
            assert key not in secret_names, f"{name}: {key} is a secret setting"
            assert not re.search(r"SECRET|PASSWORD|TOKEN(?!_PARTITIONS)|ENCRYPTION|SIGNING", key), f"{name}: {key}"
            assert not CREDENTIAL_IN_URL.search(value), f"{name}: {key} carries a credential"


def test_every_referenced_config_map_and_secret_key_exists(manifests):
    maps, secrets = _of(manifests, "ConfigMap"), _of(manifests, "Secret")
    for kind in ("Deployment", "Job"):
        for workload in _of(manifests, kind).values():
            for container in workload["spec"]["template"]["spec"]["containers"]:
                for source in container.get("envFrom", []):
                    assert source["configMapRef"]["name"] in maps
                for variable in container.get("env", []):
                    ref = variable.get("valueFrom", {}).get("secretKeyRef")
                    if ref and not ref.get("optional"):
                        assert ref["key"] in secrets[ref["name"]]["stringData"], ref


def test_the_migration_job_runs_the_ops_migrate_command_with_the_database_secret(manifests):
    (job,) = _of(manifests, "Job").values()
    spec = job["spec"]["template"]["spec"]
    assert spec["restartPolicy"] in ("Never", "OnFailure")
    (container,) = spec["containers"]
    assert container["command"] == ["python", "-m", "sb_ops", "migrate"]
    assert "migrate" in {command.name or command.callback.__name__ for command in app.registered_commands}
    env = {v["name"]: v for v in container["env"]}
    assert env["SUITEBRIDGE_DATABASE_URL"]["valueFrom"]["secretKeyRef"]["key"] == "database-url"
    assert set(container["resources"]["limits"]) == {"cpu", "memory"}


def test_the_secret_template_holds_placeholders_only(manifests):
    (secret,) = _of(manifests, "Secret").values()
    for key, value in secret["stringData"].items():
        assert "REPLACE_ME" in value, key


def test_the_ops_toolbox_gets_exactly_the_tools_connection_variables(manifests):
    from sb_ops.config import ENV

    toolbox = _of(manifests, "Deployment")["suitebridge-ops"]
    assert toolbox["spec"]["replicas"] == 0  # scaled up only while an operator works
    provided = _provided(manifests, _container(toolbox))
    assert set(provided) <= set(ENV.values())
    assert {"SUITEBRIDGE_KAFKA_BOOTSTRAP_SERVERS", "SUITEBRIDGE_DATABASE_URL"} <= set(provided)
    assert provided["SUITEBRIDGE_DATABASE_URL"].startswith("secret:")
    assert provided["SUITEBRIDGE_ADMIN_TOKEN"].startswith("secret:")
