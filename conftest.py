"""Session fixtures shared by every test suite: the real PostgreSQL and the real broker.

``DATABASE_URL`` / ``KAFKA_BOOTSTRAP_SERVERS`` when set; otherwise the embedded stack.
Each test session works in a database of its own, dropped at the end.
"""
from __future__ import annotations

import asyncio
import os
import uuid

import pytest

from devstack.stack import start_stack


@pytest.fixture(scope="session")
def stack():
    started = start_stack(broker_log=f"broker-test-{os.getpid()}.log")
    yield started
    started.stop()


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
