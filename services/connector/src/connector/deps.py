"""What the connector's use cases need, built once in ``app.create_app`` (tests pass their own)."""
from __future__ import annotations

import asyncio
import uuid
from dataclasses import dataclass, field

import httpx

from connector.clock import SystemClock
from connector.crypto import TokenCipher
from connector.settings import Settings


class Observer:
    """Hooks for tests and metrics: when this instance starts and stops working on a tenant."""

    def poll_started(self, tenant_id: str, instance_id: str) -> None:
        pass

    def poll_finished(self, tenant_id: str, instance_id: str) -> None:
        pass


@dataclass
class Deps:
    settings: Settings
    shell: object
    cipher: TokenCipher
    instance_id: str = field(default_factory=lambda: uuid.uuid4().hex)
    observer: Observer = field(default_factory=Observer)
    http: httpx.AsyncClient | None = None
    connections: object | None = None  # connector.connections.Connections, built on start
    ready: asyncio.Event = field(default_factory=asyncio.Event)
    clock: SystemClock = field(default_factory=SystemClock)
    oneworld: dict[str, bool] = field(default_factory=dict)  # account id -> has subsidiaries (probed once)

    @property
    def pool(self):
        return self.shell.pool
