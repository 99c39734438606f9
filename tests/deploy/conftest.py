"""What the deploy tests check the manifests against: the services' own settings classes."""
from __future__ import annotations

import importlib
import re
from pathlib import Path
from types import SimpleNamespace

import pytest
import yaml
from pydantic import SecretStr

from sb_ops import catalog

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
DEV_DEFAULT = re.compile(r"127\.0\.0\.1|localhost")
# An empty default that is a real production choice, not "not configured".
EMPTY_IS_VALID = {"topic_suffix"}  # payment-reconciler: a suffix for isolated test runs; none in production


def settings_class(service: catalog.Service):
    return importlib.import_module(f"{service.package}.settings").Settings


def required_env(service: catalog.Service) -> set[str]:
    """Settings a deployment must set: no default, secrets (they default to empty), dev defaults that
    point at the loopback or are empty, and the HTTP bind (probes need a known port on 0.0.0.0)."""
    cls = settings_class(service)
    names = {"http_host", "http_port"}
    for name, field in cls.model_fields.items():
        default = field.default
        if field.is_required() or isinstance(default, SecretStr):
            names.add(name)
        elif isinstance(default, str) and (DEV_DEFAULT.search(default) or (not default and name not in EMPTY_IS_VALID)):
            names.add(name)
    return {service.env_prefix + name.upper() for name in names}


def secret_env(service: catalog.Service) -> set[str]:
    cls = settings_class(service)
    return {service.env_prefix + name.upper() for name, field in cls.model_fields.items()
            if isinstance(field.default, SecretStr) or field.annotation is SecretStr}


def unknown_env(service: catalog.Service, names: set[str]) -> set[str]:
    """Variables with the service's prefix that no setting reads (a typo is silently ignored at run time)."""
    fields = set(settings_class(service).model_fields)
    return {n for n in names if n.startswith(service.env_prefix)
            and n[len(service.env_prefix):].lower().split("__")[0] not in fields}


@pytest.fixture(scope="session")
def settings_rules():
    return SimpleNamespace(required_env=required_env, secret_env=secret_env, unknown_env=unknown_env,
                           settings_class=settings_class)


@pytest.fixture(scope="session")
def manifests() -> list[tuple[str, dict]]:
    """(file#index, document) for every Kubernetes manifest in deploy/k8s."""
    found = []
    for path in sorted((DEPLOY / "k8s").glob("*.yaml")):
        for index, document in enumerate(yaml.safe_load_all(path.read_text())):
            if document:
                found.append((f"{path.name}#{index}", document))
    return found


@pytest.fixture(scope="session")
def compose() -> dict:
    return yaml.safe_load((DEPLOY / "compose.yaml").read_text())


@pytest.fixture(scope="session")
def compose_emulator() -> dict:
    return yaml.safe_load((DEPLOY / "compose.emulator.yaml").read_text())
