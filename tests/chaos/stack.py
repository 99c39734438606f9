"""The chaos stack: a PostgreSQL server and a broker of the harness's own, the NetSuite emulator and
the four services as OS processes (``devstack.supervisor``, as ``make run`` starts them), and one
emulated NetSuite account per tenant, connected through the real OAuth flow.

Faults act on processes only: SIGSTOP/SIGCONT of the PostgreSQL server this stack started
(never a server it did not start), SIGKILL of a service and its restart.
"""
from __future__ import annotations

import asyncio
import os
import signal
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import psutil
from devstack.demo import choose_accounts, connect_through_oauth
from devstack.processes import Child
from devstack.stack import REPO_ROOT, Stack, start_stack
from devstack.supervisor import Supervisor

SEED = {"customers": 3, "invoices": 40, "months": 2}  # about 30 open invoices per tenant
CONNECTING_AT_ONCE = 6


@dataclass
class Tenant:
    tenant_id: str
    account: dict  # the emulator's create_account answer (account id, TBA credentials)

    @property
    def account_id(self) -> str:
        return self.account["account_id"]


@dataclass
class ChaosStack:
    state_dir: Path
    stack: Stack
    supervisor: Supervisor
    manifest: dict
    tenants: list[Tenant] = field(default_factory=list)
    exits: list[str] = field(default_factory=list)  # services that died unasked (then restarted)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def bootstrap(self) -> str:
        return self.manifest["kafka_bootstrap_servers"]

    @property
    def emulator_url(self) -> str:
        return self.manifest["netsuite_emulator_url"]

    # -- NetSuite emulator control surface ------------------------------------------------------

    def patch_account(self, account_id: str, **changes) -> None:
        httpx.patch(f"{self.emulator_url}/_emulator/accounts/{account_id}", json=changes,
                    timeout=30).raise_for_status()

    async def patch_all(self, **changes) -> None:
        """Every tenant's account at once (one by one takes long when the emulator is busy)."""
        async with httpx.AsyncClient(base_url=self.emulator_url, timeout=60) as http:
            answers = await asyncio.gather(*(http.patch(f"/_emulator/accounts/{tenant.account_id}", json=changes)
                                             for tenant in self.tenants))
        for answer in answers:
            answer.raise_for_status()

    def netsuite_faults(self) -> dict[str, int]:
        """Answers the emulator failed or dropped so far, summed over the tenants' accounts."""
        totals: dict[str, int] = {}
        with httpx.Client(base_url=self.emulator_url, timeout=30) as http:
            for tenant in self.tenants:
                stats = http.get(f"/_emulator/accounts/{tenant.account_id}/stats").raise_for_status().json()
                for status, count in stats["status_counts"].items():
                    if status in ("500", "503", "dropped"):
                        totals[status] = totals.get(status, 0) + count
        return totals

    # -- faults ---------------------------------------------------------------------------------

    def service(self, name: str) -> Child:
        return next(child for child in self.supervisor.children if child.name == name)

    def kill_and_restart(self, name: str, timeout_s: float = 90) -> float:
        """SIGKILL the service's process group (no shutdown hook runs), start it again at once and
        wait for its /healthz; returns the seconds from the kill to healthy."""
        child = self.service(name)
        started = time.monotonic()
        with self._lock:
            os.killpg(os.getpgid(child.process.pid), signal.SIGKILL)
            child.process.wait(10)
            child.restarts += 1
            child.start()
        child.wait_healthy(timeout_s)
        return time.monotonic() - started

    def restart_dead(self) -> None:
        """What ``make run``'s supervisor (or Kubernetes) does: start a service that exited."""
        with self._lock:
            for child in self.supervisor.children:
                if not child.alive():
                    self.exits.append(f"{child.name} exited {child.process.returncode}")
                    child.restarts += 1
                    child.start()

    def postgres_processes(self) -> list[psutil.Process]:
        """The postmaster this stack started and its children; refuses any other server."""
        if not self.stack.postgres.embedded:
            raise RuntimeError("the database is not the harness's own: refusing to pause it")
        pgdata = self.state_dir / "pgdata"
        pid = int((pgdata / "postmaster.pid").read_text().split()[0])
        postmaster = psutil.Process(pid)
        if str(pgdata.resolve()) not in " ".join(postmaster.cmdline()) and \
                Path(postmaster.cwd()).resolve() != pgdata.resolve():
            raise RuntimeError(f"process {pid} is not the postmaster of {pgdata}: refusing to pause it")
        return [postmaster, *postmaster.children(recursive=True)]

    @contextmanager
    def database_paused(self):
        """SIGSTOP the postmaster (no new backends), then every backend and helper; SIGCONT on exit."""
        processes = self.postgres_processes()
        stopped: list[psutil.Process] = []
        try:
            for process in processes:
                process.send_signal(signal.SIGSTOP)
                stopped.append(process)
            yield len(stopped)
        finally:
            for process in reversed(stopped):
                try:
                    process.send_signal(signal.SIGCONT)
                except psutil.NoSuchProcess:
                    pass

    def stop(self) -> None:
        self.supervisor.stop()
        self.stack.stop()


@contextmanager
def _environment(**values: str | None):
    """Set (or, with None, remove) environment variables for a while; restore them afterwards."""
    saved = {name: os.environ.get(name) for name in values}
    try:
        for name, value in values.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def start(state_dir: Path, tenant_count: int, partitions: int) -> ChaosStack:
    """PostgreSQL and the broker of our own (environment overrides ignored), then the services."""
    with _environment(DATABASE_URL=None, KAFKA_BOOTSTRAP_SERVERS=None, SUITEBRIDGE_TOPIC_PARTITIONS=str(partitions),
                      SUITEBRIDGE_KAFKA_SESSION_TIMEOUT_MS="2000"):  # short sessions: our own embedded broker
        stack = start_stack(state_dir, broker_log="broker.log")
        try:
            database_url = asyncio.run(stack.postgres.create_database("chaos"))
            supervisor = Supervisor(REPO_ROOT, demo=False, state_dir=state_dir, database_url=database_url,
                                    bootstrap=stack.kafka_bootstrap_servers, write_manifest=False)
            manifest = supervisor.start()
        except BaseException:
            stack.stop()
            raise
    chaos = ChaosStack(state_dir, stack, supervisor, manifest)
    try:
        connect_tenants(chaos, tenant_count)
    except BaseException:
        chaos.stop()
        raise
    return chaos


def connect_tenants(chaos: ChaosStack, count: int, timeout_s: float = 600) -> None:
    """One seeded NetSuite account per tenant, connected through OAuth (a few at a time); accounts
    chosen once the tenant's initial sync is done."""
    url, token = chaos.manifest["connector_url"], chaos.manifest["admin_token"]

    def connect(index: int) -> Tenant:
        tenant_id = f"chaos{index:02d}"
        account = httpx.post(f"{chaos.emulator_url}/_emulator/accounts", timeout=120, json={
            "account_id": f"TSTDRV{9000000 + index}", "timezone": "UTC",
            "seed": {**SEED, "random_seed": 100 + index}}).raise_for_status().json()
        connect_through_oauth(url, token, tenant_id, account["account_id"])
        return Tenant(tenant_id, account)

    with ThreadPoolExecutor(CONNECTING_AT_ONCE) as pool:
        chaos.tenants.extend(pool.map(connect, range(count)))
    waiting = {tenant.tenant_id for tenant in chaos.tenants}
    deadline = time.monotonic() + timeout_s
    with httpx.Client(timeout=30, headers={"Authorization": f"Bearer {token}"}) as http:
        while waiting:
            for tenant_id in sorted(waiting):
                status = http.get(f"{url}/v1/tenants/{tenant_id}/netsuite").json().get("status")
                if status == "connected":
                    choose_accounts(url, token, tenant_id)
                    waiting.discard(tenant_id)
            if waiting and time.monotonic() > deadline:
                raise TimeoutError(f"initial sync not finished after {timeout_s}s: {sorted(waiting)}")
            if waiting:
                time.sleep(1)  # polling the connector's status; bounded by the deadline above
