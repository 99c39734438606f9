"""``make run``: the stack, the NetSuite emulator and the four services under one supervisor.

Writes ``.suitebridge/stack.json`` when everything answers ``/healthz`` and removes it on a
clean shutdown. Ctrl-C (SIGINT) or SIGTERM stops every child, the broker and PostgreSQL.
A service that dies is restarted with a growing pause.
"""
from __future__ import annotations

import asyncio
import json
import os
import signal
import sys
import time
from pathlib import Path

from contracts import topics
from devstack import secrets_file
from devstack.ports import free_port
from devstack.processes import Child
from devstack.stack import STATE_DIR, Stack, start_stack

SERVICES = [  # (name, module, env prefix, serves the public API)
    ("connector", "connector", "CONNECTOR_"),
    ("invoice-sync", "invoice_sync", "INVOICE_SYNC_"),
    ("payment-reconciler", "payment_reconciler", "PAYMENT_RECONCILER_"),
    ("deposit-writer", "deposit_writer", "DEPOSIT_WRITER_"),
]


def _common_env(prefix: str, port: int, database_url: str, bootstrap: str, secrets: dict[str, str]) -> dict[str, str]:
    return {
        f"{prefix}DATABASE_URL": database_url,
        f"{prefix}KAFKA_BOOTSTRAP_SERVERS": bootstrap,
        f"{prefix}HTTP_HOST": "127.0.0.1",
        f"{prefix}HTTP_PORT": str(port),
        f"{prefix}ADMIN_TOKEN": secrets["admin_token"],
        f"{prefix}TOKEN_SIGNING_KEY": secrets["token_signing_key"],
        f"{prefix}LOG_JSON": "true",
    }


def _service_env(name: str, urls: dict[str, str], secrets: dict[str, str]) -> dict[str, str]:
    """What each service needs beyond the common settings."""
    emulator = urls.get("netsuite_emulator_url")
    if name == "connector":
        env = {
            "CONNECTOR_TOKEN_ENCRYPTION_KEYS": secrets["token_encryption_key"],
            "CONNECTOR_OAUTH_CLIENT_ID": secrets["oauth_client_id"],
            "CONNECTOR_OAUTH_CLIENT_SECRET": secrets["oauth_client_secret"],
            "CONNECTOR_OAUTH_REDIRECT_URI": urls["connector_url"] + "/v1/oauth/netsuite/callback",
            "CONNECTOR_INVOICE_SYNC_URL": urls["invoice_sync_url"],
            "CONNECTOR_PAYMENT_RECONCILER_URL": urls["payment_reconciler_url"],
            "CONNECTOR_DEPOSIT_WRITER_URL": urls["deposit_writer_url"],
            "CONNECTOR_INTERNAL_TOKEN": secrets["internal_token"],
            "CONNECTOR_INTERNAL_HTTP_PORT": urls["connector_internal_url"].rsplit(":", 1)[1],
        }
        if emulator:
            for kind in ("REST", "RESTLET", "APP"):
                env[f"CONNECTOR_NETSUITE_{kind}_BASE_TEMPLATE"] = emulator + "/accounts/{account_id}"
            env["CONNECTOR_NETSUITE_ACCOUNTLESS_AUTHORIZE_URL"] = emulator + "/app/login/oauth2/authorize.nl"
        return env
    if name in ("payment-reconciler", "deposit-writer", "invoice-sync"):  # invoice-sync: PDFs (decision 0007)
        prefix = name.upper().replace("-", "_") + "_"
        return {f"{prefix}CONNECTOR_URL": urls["connector_internal_url"],
                f"{prefix}CONNECTOR_TOKEN": secrets["internal_token"]}
    return {}


class Supervisor:
    """Runs the services as child processes. Tests pass their own database and broker
    (``database_url``/``bootstrap``) and a state directory; ``make run`` starts the stack itself."""

    def __init__(self, repo_root: Path, demo: bool, state_dir: Path = STATE_DIR,
                 database_url: str | None = None, bootstrap: str | None = None, write_manifest: bool = True):
        self.root = repo_root
        self.state = state_dir
        self.demo = demo
        self.stack: Stack | None = None
        self.children: list[Child] = []
        self.manifest = self.state / "stack.json"
        self.write_manifest = write_manifest
        self.stopping = False
        self._database_url = database_url
        self._bootstrap = bootstrap

    def start(self) -> dict:
        started = time.monotonic()
        secrets = secrets_file.load_or_create(self.state / "secrets.json")
        if self._bootstrap is None:
            self.stack = start_stack(self.state, broker_log="broker.log")
        database_url = self._database_url or self._database()
        bootstrap = self._bootstrap or self.stack.kafka_bootstrap_servers
        asyncio.run(self._topics(bootstrap))
        logs = self.state / "logs"
        urls: dict[str, str] = {}
        emulator_port = free_port()
        urls["netsuite_emulator_url"] = f"http://127.0.0.1:{emulator_port}"
        ports = {name: free_port() for name, _, _ in SERVICES}
        urls["connector_url"] = f"http://127.0.0.1:{ports['connector']}"
        urls["invoice_sync_url"] = f"http://127.0.0.1:{ports['invoice-sync']}"
        urls["payment_reconciler_url"] = f"http://127.0.0.1:{ports['payment-reconciler']}"
        urls["deposit_writer_url"] = f"http://127.0.0.1:{ports['deposit-writer']}"
        urls["connector_internal_url"] = f"http://127.0.0.1:{free_port()}"
        emulator = Child("netsuite-emulator", "netsuite_emulator",
                         # name=value: a generated secret may begin with "-", which argparse would take for an option
                         ["serve", "--port", str(emulator_port), f"--oauth-client-id={secrets['oauth_client_id']}",
                          f"--oauth-client-secret={secrets['oauth_client_secret']}",
                          "--oauth-redirect-uri", urls["connector_url"] + "/v1/oauth/netsuite/callback"],
                         {}, logs / "netsuite-emulator.log", urls["netsuite_emulator_url"] + "/_emulator/health")
        self.children.append(emulator)
        for name, module, prefix in SERVICES:
            env = _common_env(prefix, ports[name], database_url, bootstrap, secrets) | _service_env(name, urls, secrets)
            env[f"{prefix}TOPIC_PARTITIONS"] = os.environ.get("SUITEBRIDGE_TOPIC_PARTITIONS", "6")
            env[f"{prefix}KAFKA_SESSION_TIMEOUT_MS"] = self._session_timeout_ms()
            self.children.append(Child(name, module, [], env, logs / f"{name}.log", f"http://127.0.0.1:{ports[name]}/healthz"))
        for child in self.children:
            child.start()
        for child in self.children:
            child.wait_healthy(timeout_s=60)
        manifest = {
            "database_url": database_url,
            "kafka_bootstrap_servers": bootstrap,
            "netsuite_emulator_url": urls["netsuite_emulator_url"],
            "connector_url": urls["connector_url"],
            "invoice_sync_url": urls["invoice_sync_url"],
            "admin_token": secrets["admin_token"],
            "connector_internal_url": urls["connector_internal_url"],  # service-to-service only
            "internal_token": secrets["internal_token"],
            "demo": None,
            "started_in_s": round(time.monotonic() - started, 2),
            "stack_started_in_s": round(self.stack.started_in_s, 2) if self.stack else None,
        }
        if self.demo:
            manifest["demo"] = self._start_demo(manifest)
        if self.write_manifest:
            self.write_manifest_file(manifest)
        return manifest

    def write_manifest_file(self, manifest: dict) -> None:
        """``stack.json``: owner-only from the first byte (it holds the admin token)."""
        secrets_file.write_private(self.manifest, json.dumps(manifest, indent=2))

    def _database(self) -> str:
        if os.environ.get("DATABASE_URL"):
            return os.environ["DATABASE_URL"]
        return asyncio.run(self.stack.postgres.create_database("suitebridge"))

    def _session_timeout_ms(self) -> str:
        """Short consumer sessions on our own embedded broker, where a group join waits about half
        the session timeout; the services' default (10 s) with a broker someone else runs."""
        if os.environ.get("SUITEBRIDGE_KAFKA_SESSION_TIMEOUT_MS"):
            return os.environ["SUITEBRIDGE_KAFKA_SESSION_TIMEOUT_MS"]
        return "2000" if self.stack is not None and self.stack.broker.embedded else "10000"

    async def _topics(self, bootstrap: str) -> None:
        from sb_runtime.kafka import ensure_topics

        partitions = int(os.environ.get("SUITEBRIDGE_TOPIC_PARTITIONS", "6"))
        await ensure_topics(bootstrap, {t: partitions for t in topics.ALL} | {topics.dlq(t): 1 for t in topics.ALL})

    def _start_demo(self, manifest: dict) -> dict | None:
        try:
            from devstack import demo
        except ImportError:
            return None
        return demo.start(self, manifest)

    def watch(self) -> None:
        """Restart children that die, until asked to stop."""
        while not self.stopping:
            for child in self.children:
                if not self.stopping and not child.alive():
                    pause = min(30, 2 ** child.restarts)
                    print(f"{child.name} exited ({child.process.returncode}); restarting in {pause}s — see {child.log_path}", file=sys.stderr)
                    time.sleep(pause)
                    child.restarts += 1
                    child.start()
            time.sleep(0.5)

    def stop(self) -> None:
        self.stopping = True
        for child in reversed(self.children):
            child.stop()
        if self.stack is not None:
            self.stack.stop()
        if self.write_manifest:
            self.manifest.unlink(missing_ok=True)


def run(demo: bool) -> int:
    supervisor = Supervisor(STATE_DIR.parent, demo)

    def on_signal(signum, _frame):
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, on_signal)
    # A shell that starts us in the background sets SIGINT to "ignore"; Ctrl-C/SIGINT must stop us.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        manifest = supervisor.start()
        _print_banner(manifest)
        supervisor.watch()
    except KeyboardInterrupt:
        pass
    finally:
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        supervisor.stop()
        print("suitebridge stopped.", file=sys.stderr)
    return 0


def _print_banner(manifest: dict) -> None:
    demo = manifest.get("demo") or {}
    lines = [
        "",
        "suitebridge is running (Ctrl-C stops everything)",
        f"  dashboard:   {manifest['connector_url']}/dashboard/login" + (f"?tenant={demo['tenant_id']}" if demo else "") + "  (sign in with the admin token)",
        f"  API:         {manifest['connector_url']}/v1  (invoices: {manifest['invoice_sync_url']}/v1)",
        f"  admin token: {manifest['admin_token']}",
        f"  NetSuite:    {manifest['netsuite_emulator_url']} (emulator)",
        f"  manifest:    .suitebridge/stack.json   logs: .suitebridge/logs/",
        f"  started in {manifest['started_in_s']}s" + (f"; demo tenant {demo['tenant_id']}" if demo else "; demo off"),
        "",
    ]
    print("\n".join(lines), flush=True)
