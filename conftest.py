"""Session fixtures shared by every test suite: the real PostgreSQL and the real broker; and for the
suites that run the connector (its own tests, tests/security), the NetSuite emulator whose
integration record redirects to a port reserved for the connector under test (``ns``,
``callback_port``) and connector settings on a schema of each test's own (``make_settings``).

``DATABASE_URL`` / ``KAFKA_BOOTSTRAP_SERVERS`` when set; otherwise the embedded stack.
Each test session works in a database of its own, dropped at the end.
"""
from __future__ import annotations

import asyncio
import os
import uuid

import pytest

from devstack.stack import start_stack


SERVICE_PREFIXES = ("CONNECTOR_", "INVOICE_SYNC_", "PAYMENT_RECONCILER_", "DEPOSIT_WRITER_")
EMBEDDED_SESSION_TIMEOUT_MS = "2000"  # each group join waits ~half of it on the embedded broker


@pytest.fixture(scope="session")
def stack():
    started = start_stack(broker_log=f"broker-test-{os.getpid()}.log")
    patch = pytest.MonkeyPatch()
    if started.broker.embedded:  # services in this process and the processes they start
        patch.setenv("SUITEBRIDGE_KAFKA_SESSION_TIMEOUT_MS", EMBEDDED_SESSION_TIMEOUT_MS)
        for prefix in SERVICE_PREFIXES:
            patch.setenv(f"{prefix}KAFKA_SESSION_TIMEOUT_MS", EMBEDDED_SESSION_TIMEOUT_MS)
    yield started
    patch.undo()
    started.stop()


@pytest.fixture(scope="session")
def consumer_options(stack) -> dict:
    """Group-consumer options for tests that subscribe without a service's settings."""
    session_ms = int(EMBEDDED_SESSION_TIMEOUT_MS) if stack.broker.embedded else 10_000
    return {"session_timeout_ms": session_ms, "heartbeat_interval_ms": session_ms // 3}


@pytest.fixture(scope="session")
def database_url(stack):
    name = f"sbtest_{os.getpid()}_{uuid.uuid4().hex[:6]}"
    url = asyncio.run(stack.postgres.create_database(name))
    yield url
    asyncio.run(stack.postgres.drop_database(name))


@pytest.fixture(scope="session")
def kafka_bootstrap(stack) -> str:
    return stack.kafka_bootstrap_servers


@pytest.fixture
def unique() -> str:
    """A short unique suffix for topics, schemas, tenants and consumer groups."""
    return uuid.uuid4().hex[:10]


@pytest.fixture(scope="session")
def callback_port() -> int:
    from devstack.ports import free_port

    return free_port()


@pytest.fixture(scope="session")
def ns(callback_port):
    from connector.testing import callback_url
    from netsuite_emulator.testing import running_emulator

    with running_emulator(oauth_redirect_uris=[callback_url(callback_port)]) as emulator:
        yield emulator


@pytest.fixture
def make_settings(ns, database_url, kafka_bootstrap, unique, callback_port):
    from connector.testing import settings_for

    def make(**overrides):
        return settings_for(ns.url, ns.oauth2, database_url, kafka_bootstrap, f"connector_{unique}",
                            callback_port, **overrides)

    return make
