"""The chaos suite's stack (its own PostgreSQL and broker, the services as processes, the tenants)
and its report; both live for the whole module."""
from __future__ import annotations

import os
import shutil

import pytest
from devstack.stack import STATE_DIR

from .report import ChaosReport
from .scenario import Settings
from .stack import start


@pytest.fixture(scope="module")
def settings() -> Settings:
    return Settings()


@pytest.fixture(scope="module")
def chaos(settings):
    # Under .suitebridge/ (not the 0700 pytest tmp dir): the embedded server runs as its own user.
    state_dir = STATE_DIR / f"chaos-{os.getpid()}"
    stack = start(state_dir, settings.tenants + 1, settings.partitions)
    try:
        yield stack
    finally:
        stack.stop()
        shutil.rmtree(state_dir / "pgdata", ignore_errors=True)  # the logs stay for a look afterwards


@pytest.fixture(scope="module")
def report(settings) -> ChaosReport:
    return ChaosReport(settings)
