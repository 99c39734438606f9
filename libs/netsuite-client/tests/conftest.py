"""Fixtures: the real NetSuite emulator on a loopback port, accounts, and clients.

``database_url`` and ``unique`` come from the repository's root conftest.py.
"""

import httpx
import pytest
from netsuite_emulator.testing import running_emulator

from netsuite_client import NetSuiteClient, RetryPolicy
from netsuite_client.testing import tenant_config_for_emulator

FAST_RETRY = RetryPolicy(max_attempts=8, base_delay_s=0.05, max_delay_s=1.0)


@pytest.fixture(scope="session")
def emulator():
    with running_emulator() as running:
        yield running


@pytest.fixture
def account(emulator):
    """A small fresh account (own concurrency limit 15)."""
    return emulator.create_account(seed={"customers": 5, "invoices": 12, "months": 3, "random_seed": 3})


@pytest.fixture
async def http():
    async with httpx.AsyncClient() as client:
        yield client


@pytest.fixture
def make_client(emulator, http):
    def make(account, *, budget=None, retry=FAST_RETRY, **overrides):
        config = tenant_config_for_emulator(emulator.url, account, **overrides)
        return NetSuiteClient(config, http=http, budget=budget, retry=retry)

    return make


@pytest.fixture
def client(make_client, account):
    return make_client(account)
