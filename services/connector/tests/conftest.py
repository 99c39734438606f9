"""Connector fixtures: one NetSuite emulator per session whose integration record redirects to a
port reserved for the connector under test, and settings on a schema of each test's own."""
from __future__ import annotations

import pytest

from devstack.ports import free_port
from netsuite_emulator.testing import running_emulator

from connector.testing import callback_url, settings_for


@pytest.fixture(scope="session")
def callback_port() -> int:
    return free_port()


@pytest.fixture(scope="session")
def ns(callback_port):
    with running_emulator(oauth_redirect_uris=[callback_url(callback_port)]) as emulator:
        yield emulator


@pytest.fixture
def make_settings(ns, database_url, kafka_bootstrap, unique, callback_port):
    def make(**overrides):
        return settings_for(ns.url, ns.oauth2, database_url, kafka_bootstrap, f"connector_{unique}",
                            callback_port, **overrides)

    return make
