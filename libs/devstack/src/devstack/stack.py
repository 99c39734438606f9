"""Start PostgreSQL and the broker together; used by ``make run`` and the test fixtures."""
from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

from devstack.broker import Broker, start_broker
from devstack.postgres import Postgres, start_postgres

REPO_ROOT = Path(__file__).resolve().parents[4]
STATE_DIR = REPO_ROOT / ".suitebridge"


@dataclass
class Stack:
    postgres: Postgres
    broker: Broker
    started_in_s: float

    @property
    def kafka_bootstrap_servers(self) -> str:
        return self.broker.bootstrap_servers

    def stop(self) -> None:
        try:
            self.broker.stop()
        finally:
            self.postgres.stop()


def start_stack(state_dir: Path = STATE_DIR, broker_log: str = "broker.log") -> Stack:
    started = time.monotonic()
    postgres = start_postgres(state_dir)
    try:
        broker = start_broker(state_dir / "logs" / broker_log)
    except BaseException:
        postgres.stop()
        raise
    return Stack(postgres, broker, time.monotonic() - started)
