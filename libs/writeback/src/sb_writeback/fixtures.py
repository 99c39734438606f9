"""pytest fixtures both write-back services' integration tests share (import them into a conftest).

The conftest provides ``service_under_test`` (``under_test(SERVICE)``): a ``ServiceUnderTest`` (how to
build the service's app for tests, and its tenants' time zone); ``emulator`` is the NetSuite emulator. ``running_service`` runs one instance for a whole test module
(starting one costs seconds); ``world`` gives each test a tenant of its own, connected to a fresh
emulator account the running service reaches with TBA credentials. ``contract_store`` opens the fake
or the PostgreSQL store for a store contract test.
"""
from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import pytest_asyncio
from sb_runtime.testing import migrated_pool

from sb_writeback import MIGRATIONS
from sb_writeback.fakes import FakeStore
from sb_writeback.progress import GroupProgress
from sb_writeback.store import PgStore
from sb_writeback.testing import StaticCredentials, WriteBackWorld, tba_access
from sb_writeback.topics import TopicNames
from sb_writeback.work import WorkTable


@dataclass(frozen=True)
class ServiceUnderTest:
    name: str  # its consumer group's prefix
    create_app: Callable[..., Any]  # (settings, credentials) -> FastAPI
    settings: type
    timezone: str  # of the test tenants' NetSuite accounts
    defaults: dict = field(default_factory=dict)

    def app(self, database_url: str, kafka_bootstrap: str, suffix: str, credentials: StaticCredentials,
            **overrides) -> Any:
        """The app (not started) on topics and a consumer group suffixed with ``suffix``, resuming quickly."""
        values = dict(database_url=database_url, kafka_bootstrap_servers=kafka_bootstrap, topic_suffix=suffix,
                      consumer_group=f"{self.name}{suffix}", topic_partitions=2, resume_interval_s=0.2,
                      stale_pending_s=2.0, relay_poll_interval_s=0.05, lane_max_backoff_s=2.0, log_level="warning",
                      **self.defaults)
        return self.create_app(self.settings(**{**values, **overrides}), credentials)

    def started(self, database_url: str, kafka_bootstrap: str, suffix: str, credentials: StaticCredentials,
                **overrides):
        """An async context manager running the service in-process until it exits (yields nothing)."""
        app = self.app(database_url, kafka_bootstrap, suffix, credentials, **overrides)
        return app.router.lifespan_context(app)


@dataclass
class RunningService:
    service: ServiceUnderTest
    database_url: str
    kafka_bootstrap: str
    suffix: str  # of every topic name and consumer group: isolated from other modules' instances
    credentials: StaticCredentials
    app: Any = None

    @property
    def timezone(self) -> str:
        return self.service.timezone

    async def replay(self, world: WriteBackWorld, topic: str) -> None:
        """A second instance in a fresh consumer group reads ``topic`` from offset 0 until it caught up."""
        group = f"replay-{uuid.uuid4().hex[:8]}"
        credentials = StaticCredentials({world.tenant_id: tba_access(world.emulator.url, world.account,
                                                                     self.timezone)})
        async with self.service.started(self.database_url, self.kafka_bootstrap, self.suffix, credentials,
                                        consumer_group=group):
            progress = GroupProgress(self.kafka_bootstrap, group)
            await progress.start()
            try:
                assert await progress.wait_caught_up(world.names(topic), timeout_s=60)
            finally:
                await progress.stop()


def under_test(service: ServiceUnderTest) -> Any:
    """The conftest's ``service_under_test`` fixture: ``service_under_test = under_test(SERVICE)``."""
    return pytest.fixture(scope="session", name="service_under_test")(lambda: service)


@pytest.fixture(scope="session")
def emulator():
    """The NetSuite emulator of the session's write-back tests."""
    from netsuite_emulator.testing import running_emulator

    with running_emulator() as running:
        yield running


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def running_service(database_url, kafka_bootstrap, service_under_test):
    service = RunningService(service_under_test, database_url, kafka_bootstrap, f".{uuid.uuid4().hex[:10]}",
                             StaticCredentials())
    service.app = service_under_test.app(database_url, kafka_bootstrap, service.suffix, service.credentials)
    async with service.app.router.lifespan_context(service.app):
        yield service


@pytest_asyncio.fixture(loop_scope="module")
async def world(emulator, kafka_bootstrap, running_service, unique):
    """A tenant of the module's running service, connected to a fresh emulator account."""
    async with WriteBackWorld.served_by(emulator, kafka_bootstrap, f"t-{unique}", running_service.suffix,
                                        running_service.credentials, running_service.timezone) as opened:
        yield opened


@pytest.fixture(params=["fake", "postgres"])
def store_database(request) -> str | None:
    """A store contract test runs twice: None (the fake), then the session's PostgreSQL."""
    return request.getfixturevalue("database_url") if request.param == "postgres" else None


@asynccontextmanager
async def contract_store(database_url: str | None, unique: str, fake: type, postgres: type, table: WorkTable,
                         migrations: Path) -> AsyncIterator[Any]:
    """The store a contract test runs against (``store_database``): ``FakeStore(fake)``, or ``PgStore`` with
    ``postgres`` transactions on a freshly migrated schema of its own."""
    if database_url is None:
        yield FakeStore(fake)
        return
    async with migrated_pool(database_url, f"contract_{unique}", migrations, MIGRATIONS) as pool:
        yield PgStore(pool, postgres, table, TopicNames())
