"""End-to-end fixtures: the NetSuite emulator and the four services as real processes (as
``make run`` starts them), on the session's PostgreSQL database and broker."""
from __future__ import annotations

import httpx
import pytest
from netsuite_emulator.testing import TEST_NOW

from devstack.broker import start_broker
from devstack.stack import REPO_ROOT
from devstack.supervisor import Supervisor


@pytest.fixture(scope="module")
def e2e_bootstrap(stack, kafka_bootstrap, tmp_path_factory):
    """A broker of the module's own when the broker is embedded: the services' real topic names
    then hold only this module's messages, not the backlog other tests left on the shared broker
    (a write-back service reading thousands of strangers' payments first is order-dependent)."""
    if not stack.broker.embedded:
        yield kafka_bootstrap
        return
    broker = start_broker(tmp_path_factory.mktemp("e2e-broker") / "broker.log")
    try:
        yield broker.bootstrap_servers
    finally:
        broker.stop()


@pytest.fixture(scope="module")
def running(database_url, e2e_bootstrap, tmp_path_factory, monkeypatch_module):
    monkeypatch_module.setenv("SUITEBRIDGE_TOPIC_PARTITIONS", "2")
    state_dir = tmp_path_factory.getbasetemp() / "e2e-stack"  # one secrets.json for every e2e module
    state_dir.mkdir(exist_ok=True)
    supervisor = Supervisor(REPO_ROOT, demo=False, state_dir=state_dir,
                            database_url=database_url, bootstrap=e2e_bootstrap, write_manifest=False)
    try:
        manifest = supervisor.start()
        yield manifest
    finally:
        supervisor.stop()


@pytest.fixture(scope="module")
def monkeypatch_module():
    patch = pytest.MonkeyPatch()
    yield patch
    patch.undo()


@pytest.fixture
def netsuite_account(running):
    """Create a seeded account in the running NetSuite emulator: ``netsuite_account(id, seed)``."""

    def create(account_id: str, seed: dict) -> dict:
        answer = httpx.post(f"{running['netsuite_emulator_url']}/_emulator/accounts", timeout=120,
                            json={"account_id": account_id, "seed": seed, "concurrency_limit": 10,
                                  "now": TEST_NOW})
        answer.raise_for_status()
        return answer.json()

    return create
