"""Integration fixtures: the real broker and PostgreSQL (root conftest), the NetSuite emulator over
HTTP, and payment-reconciler running in-process with emulator accounts' TBA credentials.

One instance serves a whole test module (``running_service``); every test works in a tenant and
emulator account of its own (``world``; both from ``sb_writeback.fixtures``). Tests that need their
own configuration start another instance with ``start_reconciler``.
"""
from __future__ import annotations

import pytest
from fastapi import FastAPI
from netsuite_emulator.testing import running_emulator
from sb_writeback.fixtures import running_service, world  # noqa: F401 - fixtures
from sb_writeback.testing import StaticCredentials

from payment_reconciler.app import create_app
from payment_reconciler.settings import Settings

TIMEZONE = "America/Los_Angeles"
ADMIN_TOKEN = "admin-token-for-tests"
SIGNING_KEY = "signing-key-for-tests"


@pytest.fixture(scope="session")
def emulator():
    with running_emulator() as running:
        yield running


def reconciler_settings(database_url: str, kafka_bootstrap: str, suffix: str, **overrides) -> Settings:
    values = dict(database_url=database_url, kafka_bootstrap_servers=kafka_bootstrap, topic_suffix=suffix,
                  consumer_group=f"payment-reconciler{suffix}", topic_partitions=2, resume_interval_s=0.2,
                  stale_pending_s=2.0, relay_poll_interval_s=0.05, lane_max_backoff_s=2.0, invoice_unknown_after_s=1.0, log_level="warning", admin_token=ADMIN_TOKEN,
                  token_signing_key=SIGNING_KEY)
    return Settings(**{**values, **overrides})


def reconciler_app(database_url: str, kafka_bootstrap: str, suffix: str, credentials: StaticCredentials,
                   **overrides) -> FastAPI:
    return create_app(reconciler_settings(database_url, kafka_bootstrap, suffix, **overrides), credentials)


def start_reconciler(database_url: str, kafka_bootstrap: str, suffix: str, credentials: StaticCredentials,
                     **overrides):
    """An async context manager running the service in-process until it exits (yields nothing)."""
    app = reconciler_app(database_url, kafka_bootstrap, suffix, credentials, **overrides)
    return app.router.lifespan_context(app)


@pytest.fixture(scope="session")
def service_app():
    return reconciler_app


@pytest.fixture(scope="session")
def service_timezone() -> str:
    return TIMEZONE
