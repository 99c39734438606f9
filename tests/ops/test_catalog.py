"""The tool's catalog of services matches the services themselves (it cannot import them at run time)."""
from __future__ import annotations

import importlib

import pytest

from sb_ops import catalog, migrate


@pytest.mark.parametrize("name", sorted(catalog.SERVICES))
def test_the_catalog_matches_the_service(name):
    known = catalog.SERVICES[name]
    app = importlib.import_module(f"{known.package}.app")
    settings = importlib.import_module(f"{known.package}.settings").Settings
    assert app.SERVICE == known.name
    assert app.SCHEMA == known.schema
    assert tuple(app.SUBSCRIBES) == known.subscribes
    assert getattr(app, "LIBRARY_MIGRATIONS", {}) == migrate.library_migrations(known)
    assert settings.model_config["env_prefix"] == known.env_prefix
    group_default = settings.model_fields.get("consumer_group")
    assert group_default is None or group_default.default == known.group
    assert dict(known.own_groups) == getattr(app, "OWN_GROUP", {})


def test_every_consumed_topic_is_a_known_topic():
    from contracts import topics

    for service in catalog.SERVICES.values():
        assert set(service.subscribes) <= set(topics.ALL)
