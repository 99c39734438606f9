"""Where the stack is: flags win over ``SUITEBRIDGE_*`` environment variables, which win over stack.json."""
from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path

DEFAULT_STACK = Path(".suitebridge/stack.json")
ENV = {
    "kafka_bootstrap_servers": "SUITEBRIDGE_KAFKA_BOOTSTRAP_SERVERS",
    "database_url": "SUITEBRIDGE_DATABASE_URL",
    "connector_url": "SUITEBRIDGE_CONNECTOR_URL",
    "admin_token": "SUITEBRIDGE_ADMIN_TOKEN",
    "netsuite_emulator_url": "SUITEBRIDGE_NETSUITE_EMULATOR_URL",
    "kafka_session_timeout_ms": "SUITEBRIDGE_KAFKA_SESSION_TIMEOUT_MS",
}


class MissingSetting(Exception):
    """A command needs a connection setting that no flag, variable or stack.json gave."""


@dataclass(frozen=True)
class Endpoints:
    kafka_bootstrap_servers: str | None = None
    database_url: str | None = field(default=None, repr=False)
    connector_url: str | None = None
    admin_token: str | None = field(default=None, repr=False)
    netsuite_emulator_url: str | None = None
    kafka_session_timeout_ms: str | None = None  # a group join by the tool; short only on the embedded broker
    demo_tenant: str | None = None

    def session_timeout_ms(self) -> int:
        return int(self.kafka_session_timeout_ms or 10_000)

    def require(self, name: str) -> str:
        value = getattr(self, name)
        if not value:
            flag = "--" + name.replace("_", "-").replace("kafka-", "")
            raise MissingSetting(f"{name} is not set: pass {flag}, set {ENV[name]}, or start `make run` "
                                 "(it writes .suitebridge/stack.json)")
        return value


def load(stack_path: Path | None = None, **flags: str | None) -> Endpoints:
    """Merge the flags (``None`` = not given), the environment and the stack manifest."""
    stack = _read_stack(stack_path or DEFAULT_STACK)
    values = {}
    for name, variable in ENV.items():
        values[name] = flags.get(name) or os.environ.get(variable) or stack.get(name)
    demo = stack.get("demo") or {}
    return Endpoints(**values, demo_tenant=demo.get("tenant_id"))


def _read_stack(path: Path) -> dict:
    try:
        return json.loads(path.read_text())
    except FileNotFoundError:
        return {}
