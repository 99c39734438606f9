"""Every topic carries an explicit max.message.bytes, the same in compose and Kubernetes, and each
service's outbox bound stays below it (an event over the bound is set aside, never sent)."""
from __future__ import annotations

import pytest

from sb_ops import catalog
from sb_runtime.settings import HEADROOM_BYTES

SERVICES = sorted(catalog.SERVICES)


def _config_maps(manifests) -> dict[str, dict]:
    return {doc["metadata"]["name"]: doc.get("data", {}) for _, doc in manifests if doc["kind"] == "ConfigMap"}


def _limits(compose, manifests) -> dict[str, int]:
    limits = {}
    for name in SERVICES:
        variable = f"{catalog.SERVICES[name].env_prefix}KAFKA_MAX_MESSAGE_BYTES"
        limits[f"compose:{name}"] = int(compose["services"][name]["environment"][variable])
        limits[f"k8s:{name}"] = int(_config_maps(manifests)[f"{name}-config"][variable])
    return limits


def test_every_service_creates_its_topics_with_one_explicit_max_message_bytes(compose, manifests):
    limits = _limits(compose, manifests)
    assert len(set(limits.values())) == 1, limits
    broker = int(compose["services"]["kafka"]["environment"]["KAFKA_MESSAGE_MAX_BYTES"])
    assert set(limits.values()) == {broker}


@pytest.mark.parametrize("name", SERVICES)
def test_the_outbox_bound_stays_below_the_topics_limit(compose, manifests, settings_rules, name):
    limit = _limits(compose, manifests)[f"compose:{name}"]
    settings = settings_rules.settings_class(catalog.SERVICES[name])(kafka_max_message_bytes=limit)
    assert settings.outbox_max_event_bytes <= limit - HEADROOM_BYTES
    with pytest.raises(ValueError):
        settings_rules.settings_class(catalog.SERVICES[name])(kafka_max_message_bytes=limit,
                                                              outbox_max_event_bytes=limit)
