"""Four services built the same way (issue 16): same role, same file name; ``app.py`` a
``SUBSCRIPTIONS`` table; a frozen, fully typed ``Deps`` from ``deps.build_deps``; HTTP as
``routes.router()`` returning an ``APIRouter`` (never routes registered on an app by hand)."""
import ast
import dataclasses
import importlib
import typing
from pathlib import Path
from typing import Any

import pytest
from fastapi import APIRouter

ROOT = Path(__file__).resolve().parents[2]
SERVICES = ["connector", "invoice_sync", "payment_reconciler", "deposit_writer"]
ROLES = ["app", "deps", "routes", "subscribers", "settings", "store", "errors", "testing", "__main__"]


def source_dir(package: str) -> Path:
    return ROOT / "services" / package.replace("_", "-") / "src" / package


@pytest.mark.parametrize("package", SERVICES)
def test_same_role_same_file_name(package):
    missing = [role for role in ROLES if not (source_dir(package) / f"{role}.py").is_file()]
    assert not missing, f"{package} lacks {missing}"


@pytest.mark.parametrize("package", SERVICES)
def test_app_is_a_table_of_subscriptions(package):
    app = importlib.import_module(f"{package}.app")
    assert isinstance(app.SUBSCRIPTIONS, dict) and app.SUBSCRIPTIONS
    assert list(app.SUBSCRIBES) == list(app.SUBSCRIPTIONS)
    assert callable(app.create_app)


@pytest.mark.parametrize("package", SERVICES)
def test_deps_are_frozen_fully_typed_and_built_by_a_hook(package):
    deps = importlib.import_module(f"{package}.deps")
    assert dataclasses.is_dataclass(deps.Deps) and deps.Deps.__dataclass_params__.frozen
    hints = typing.get_type_hints(deps.Deps)
    vague = [field.name for field in dataclasses.fields(deps.Deps) if hints[field.name] in (object, Any)]
    assert not vague, f"{package}.Deps fields typed object/Any: {vague}"
    assert callable(deps.build_deps)


@pytest.mark.parametrize("package", SERVICES)
def test_http_comes_from_routers(package):
    routes = importlib.import_module(f"{package}.routes")
    assert isinstance(routes.router(), APIRouter)
    by_hand = []
    for path in source_dir(package).rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.name == "register":
                by_hand.append(f"{path.name}: def register")
            for decorator in getattr(node, "decorator_list", []):
                target = decorator.func if isinstance(decorator, ast.Call) else decorator
                if isinstance(target, ast.Attribute) and isinstance(target.value, ast.Name) \
                        and target.value.id == "app":
                    by_hand.append(f"{path.name}:{node.lineno} @app.{target.attr}")
    assert not by_hand, f"{package} registers routes on an app by hand: {by_hand}"
