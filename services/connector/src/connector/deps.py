"""What the connector's use cases need, built once in ``app.create_app`` (tests pass their own)."""
from __future__ import annotations

import asyncio
import uuid
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import httpx

from connector.clock import SystemClock
from connector.crypto import TokenCipher
from connector.settings import Settings

if TYPE_CHECKING:
    import asyncpg
    from sb_runtime.service import ServiceShell

    from connector.connections import Connections


class Observer:
    """Hooks for tests and metrics: when this instance starts and stops working on a tenant."""

    def poll_started(self, tenant_id: str, instance_id: str) -> None:
        pass

    def poll_finished(self, tenant_id: str, instance_id: str) -> None:
        pass


@dataclass
class Deps:
    settings: Settings
    shell: ServiceShell
    cipher: TokenCipher
    instance_id: str = field(default_factory=lambda: uuid.uuid4().hex)
    observer: Observer = field(default_factory=Observer)
    http: httpx.AsyncClient | None = None
    connections: Connections | None = None  # built on start (app._start)
    ready: asyncio.Event = field(default_factory=asyncio.Event)
    clock: SystemClock = field(default_factory=SystemClock)
    oneworld: dict[str, bool] = field(default_factory=dict)  # account id -> has subsidiaries (probed once)

    @property
    def pool(self) -> asyncpg.Pool:
        return self.shell.pool
