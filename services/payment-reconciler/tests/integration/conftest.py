"""Integration fixtures: the real broker and PostgreSQL (root conftest), the NetSuite emulator over
HTTP, and payment-reconciler running in-process with emulator accounts' TBA credentials.

Starting the service costs seconds (consumer groups joining), so one instance serves a whole test
module (``running_reconciler``); every test works in a tenant and emulator account of its own
(``world``). Tests that need their own configuration start another instance with ``start_reconciler``.
"""
from __future__ import annotations

import uuid
from dataclasses import dataclass

import pytest
import pytest_asyncio
from fastapi import FastAPI
from netsuite_emulator.testing import running_emulator

from payment_reconciler.app import create_app
from payment_reconciler.settings import Settings
from sb_writeback.testing import StaticCredentials, WriteBackWorld, tba_access

TIMEZONE = "America/Los_Angeles"


@pytest.fixture(scope="session")
def emulator():
    with running_emulator() as running:
        yield running


def reconciler_settings(database_url: str, kafka_bootstrap: str, suffix: str, **overrides) -> Settings:
    values = dict(database_url=database_url, kafka_bootstrap_servers=kafka_bootstrap, topic_suffix=suffix,
                  consumer_group=f"payment-reconciler{suffix}", topic_partitions=2, resume_interval_s=0.2,
                  stale_pending_s=2.0, relay_poll_interval_s=0.05, log_level="warning", admin_token=ADMIN_TOKEN,
                  token_signing_key=SIGNING_KEY)
    return Settings(**{**values, **overrides})


ADMIN_TOKEN = "admin-token-for-tests"
SIGNING_KEY = "signing-key-for-tests"


@dataclass
class Reconciler:
    suffix: str
    credentials: StaticCredentials
    app: FastAPI | None = None


def start_reconciler(database_url: str, kafka_bootstrap: str, suffix: str, credentials: StaticCredentials,
                     **overrides):
    """An async context manager running the service in-process until it exits (yields nothing)."""
    app = create_app(reconciler_settings(database_url, kafka_bootstrap, suffix, **overrides), credentials)
    return app.router.lifespan_context(app)


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def running_reconciler(database_url, kafka_bootstrap):
    reconciler = Reconciler(f".{uuid.uuid4().hex[:10]}", StaticCredentials())
    reconciler.app = create_app(reconciler_settings(database_url, kafka_bootstrap, reconciler.suffix),
                                reconciler.credentials)
    async with reconciler.app.router.lifespan_context(reconciler.app):
        yield reconciler


@pytest_asyncio.fixture(loop_scope="module")
async def world(emulator, kafka_bootstrap, running_reconciler, unique):
    """A tenant of the module's running reconciler, connected to a fresh emulator account."""
    async with WriteBackWorld.open(emulator, kafka_bootstrap, f"t-{unique}", running_reconciler.suffix,
                                   TIMEZONE) as opened:
        running_reconciler.credentials.accesses[opened.tenant_id] = tba_access(emulator.url, opened.account, TIMEZONE)
        yield opened
