"""AsyncAPI 3.0 documents generated from the event models a service declares."""
from __future__ import annotations

from typing import Any

from contracts.registry import TOPIC_EVENTS


def _channel_id(topic: str) -> str:
    return topic.replace(".", "_").replace("-", "_")


def document(service: str, subscribes: list[str], publishes: list[str], version: str = "0.1.0") -> dict[str, Any]:
    """An AsyncAPI 3.0 document for ``service`` from its channel lists."""
    channels: dict[str, Any] = {}
    operations: dict[str, Any] = {}
    schemas: dict[str, Any] = {}
    for action, topic_list in (("receive", subscribes), ("send", publishes)):
        for topic in topic_list:
            channel = _channel_id(topic)
            messages = {}
            for name, model in TOPIC_EVENTS[topic].items():
                schemas[name] = model.model_json_schema(ref_template="#/components/schemas/{model}")
                for sub_name, sub_schema in schemas[name].pop("$defs", {}).items():
                    schemas.setdefault(sub_name, sub_schema)
                messages[name] = {
                    "name": name,
                    "contentType": "application/json",
                    "payload": {"$ref": f"#/components/schemas/{name}"},
                    "bindings": {"kafka": {"key": {"type": "string", "description": "tenant_id or <tenant>:<record id>"}}},
                }
            channels[channel] = {"address": topic, "messages": messages}
            operations[f"{action}_{channel}"] = {
                "action": action,
                "channel": {"$ref": f"#/channels/{channel}"},
                "messages": [{"$ref": f"#/channels/{channel}/messages/{m}"} for m in messages],
            }
    return {
        "asyncapi": "3.0.0",
        "info": {"title": f"suitebridge {service}", "version": version},
        "defaultContentType": "application/json",
        "channels": channels,
        "operations": operations,
        "components": {"schemas": schemas},
    }
