"""Integration fixtures: the real broker and PostgreSQL (root conftest), the NetSuite emulator over
HTTP, and deposit-writer running in-process with emulator accounts' TBA credentials.

One instance serves a whole test module (``running_service``); every test works in a tenant and
emulator account of its own (``world``; both from ``sb_writeback.fixtures``).
"""
from __future__ import annotations

import pytest
from fastapi import FastAPI
from netsuite_emulator.testing import running_emulator
from sb_writeback.fixtures import running_service, world  # noqa: F401 - fixtures
from sb_writeback.testing import StaticCredentials

from deposit_writer.app import create_app
from deposit_writer.settings import Settings

TIMEZONE = "America/New_York"


@pytest.fixture(scope="session")
def emulator():
    with running_emulator() as running:
        yield running


def writer_app(database_url: str, kafka_bootstrap: str, suffix: str, credentials: StaticCredentials,
               **overrides) -> FastAPI:
    values = dict(database_url=database_url, kafka_bootstrap_servers=kafka_bootstrap, topic_suffix=suffix,
                  consumer_group=f"deposit-writer{suffix}", topic_partitions=2, resume_interval_s=0.2,
                  stale_pending_s=2.0, relay_poll_interval_s=0.05, lane_max_backoff_s=2.0, log_level="warning")
    return create_app(Settings(**{**values, **overrides}), credentials)


def start_writer(database_url: str, kafka_bootstrap: str, suffix: str, credentials: StaticCredentials, **overrides):
    """An async context manager running deposit-writer in-process until it exits."""
    app = writer_app(database_url, kafka_bootstrap, suffix, credentials, **overrides)
    return app.router.lifespan_context(app)


@pytest.fixture(scope="session")
def service_app():
    return writer_app


@pytest.fixture(scope="session")
def service_timezone() -> str:
    return TIMEZONE
