"""Integration fixtures: the real broker and PostgreSQL (root conftest), the NetSuite emulator over
HTTP, and deposit-writer running in-process with emulator accounts' TBA credentials.

One service instance serves a whole test module (starting one costs seconds); every test works in
a tenant and emulator account of its own.
"""
from __future__ import annotations

import uuid
from dataclasses import dataclass

import pytest
import pytest_asyncio
from netsuite_emulator.testing import running_emulator

from deposit_writer.app import create_app
from deposit_writer.settings import Settings
from sb_writeback.testing import StaticCredentials, WriteBackWorld, tba_access

TIMEZONE = "America/New_York"


@pytest.fixture(scope="session")
def emulator():
    with running_emulator() as running:
        yield running


@dataclass
class Writer:
    suffix: str
    credentials: StaticCredentials


def start_writer(database_url: str, kafka_bootstrap: str, suffix: str, credentials: StaticCredentials, **overrides):
    """An async context manager running deposit-writer in-process until it exits."""
    values = dict(database_url=database_url, kafka_bootstrap_servers=kafka_bootstrap, topic_suffix=suffix,
                  consumer_group=f"deposit-writer{suffix}", topic_partitions=2, resume_interval_s=0.2,
                  stale_pending_s=2.0, relay_poll_interval_s=0.05, log_level="warning")
    app = create_app(Settings(**{**values, **overrides}), credentials)
    return app.router.lifespan_context(app)


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def running_writer(database_url, kafka_bootstrap):
    writer = Writer(f".{uuid.uuid4().hex[:10]}", StaticCredentials())
    async with start_writer(database_url, kafka_bootstrap, writer.suffix, writer.credentials):
        yield writer


@pytest_asyncio.fixture(loop_scope="module")
async def world(emulator, kafka_bootstrap, running_writer, unique):
    """A tenant of the module's running deposit-writer, connected to a fresh emulator account."""
    async with WriteBackWorld.open(emulator, kafka_bootstrap, f"t-{unique}", running_writer.suffix,
                                   TIMEZONE) as opened:
        running_writer.credentials.accesses[opened.tenant_id] = tba_access(emulator.url, opened.account, TIMEZONE)
        yield opened
