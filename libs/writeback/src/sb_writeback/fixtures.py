"""pytest fixtures both write-back services' integration tests share (import them into a conftest).

The conftest provides ``service_app(database_url, kafka_bootstrap, suffix, credentials)`` (the app
built for tests, not started) and ``service_timezone``. ``running_service`` runs one instance for a
whole test module (starting one costs seconds); ``world`` gives each test a tenant of its own,
connected to a fresh emulator account the running service reaches with TBA credentials.
"""
from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

import pytest_asyncio

from sb_writeback.testing import StaticCredentials, WriteBackWorld


@dataclass
class RunningService:
    suffix: str  # of every topic name and consumer group: isolated from other modules' instances
    credentials: StaticCredentials
    timezone: str
    app: Any = None


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def running_service(database_url, kafka_bootstrap, service_app, service_timezone):
    service = RunningService(f".{uuid.uuid4().hex[:10]}", StaticCredentials(), service_timezone)
    service.app = service_app(database_url, kafka_bootstrap, service.suffix, service.credentials)
    async with service.app.router.lifespan_context(service.app):
        yield service


@pytest_asyncio.fixture(loop_scope="module")
async def world(emulator, kafka_bootstrap, running_service, unique):
    """A tenant of the module's running service, connected to a fresh emulator account."""
    async with WriteBackWorld.served_by(emulator, kafka_bootstrap, f"t-{unique}", running_service.suffix,
                                        running_service.credentials, running_service.timezone) as opened:
        yield opened
