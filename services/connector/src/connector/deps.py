"""What the connector's use cases need at run time, built once the pool exists (``build_deps``).

``Deps`` is frozen: what changes at run time lives in the holders it points to (``Connections``'
per-tenant budgets, ``OneWorldCache``), never in its fields.
"""
from __future__ import annotations

import uuid
from dataclasses import dataclass, field

import asyncpg
import httpx
from netsuite_client import PostgresBudgetStore, install_schema
from prometheus_client import CollectorRegistry
from sb_runtime.service import ServiceShell

from connector import netsuite_calls
from connector.clock import SystemClock
from connector.connections import Connections
from connector.crypto import TokenCipher
from connector.settings import Settings


class Observer:
    """Hooks for tests and metrics: when this instance starts and stops working on a tenant."""

    def poll_started(self, tenant_id: str, instance_id: str) -> None:
        pass

    def poll_finished(self, tenant_id: str, instance_id: str) -> None:
        pass


class OneWorldCache(dict[str, bool]):
    """Mutable holder: account id -> whether it has subsidiaries, probed once per account and process
    (docs/decisions/connector-oneworld.md)."""


@dataclass(frozen=True)
class Seams:
    """What tests replace: who watches the polls, the wall clock, the HTTP client to NetSuite."""
    observer: Observer = field(default_factory=Observer)
    clock: SystemClock = field(default_factory=SystemClock)
    http: httpx.AsyncClient | None = None


@dataclass(frozen=True)
class Deps:
    settings: Settings
    pool: asyncpg.Pool
    cipher: TokenCipher
    http: httpx.AsyncClient
    connections: Connections
    clock: SystemClock
    observer: Observer
    instance_id: str
    oneworld: OneWorldCache
    registry: CollectorRegistry  # the shell's /metrics


def assemble(settings: Settings, pool: asyncpg.Pool, budgets: PostgresBudgetStore | None,
             seams: Seams = Seams(), registry: CollectorRegistry | None = None) -> Deps:
    """``Deps`` from what is already open (no I/O); ``budgets=None`` leaves NetSuite calls unbudgeted (tests)."""
    http = seams.http or httpx.AsyncClient(timeout=settings.netsuite_timeout_s)
    netsuite_calls.watch(http)  # the dashboard's calls and 429s in the last hour
    cipher = TokenCipher.from_setting(settings.token_encryption_keys.get_secret_value())
    return Deps(settings=settings, pool=pool, cipher=cipher, http=http,
                connections=Connections(settings, cipher, pool, http, budgets, seams.clock), clock=seams.clock,
                observer=seams.observer, instance_id=uuid.uuid4().hex, oneworld=OneWorldCache(),
                registry=registry or CollectorRegistry())


async def build_deps(shell: ServiceShell, settings: Settings, seams: Seams = Seams()) -> Deps:
    """The shared NetSuite budget on the shell's pool, then ``Deps``. Stored tokens are re-encrypted only by
    the explicit ``python -m connector rotate-keys`` once every instance has the new key (never on start).
    The scheduler frees the budget's listener and the HTTP client when it stops (``poller.Scheduler``)."""
    await install_schema(shell.pool, settings.netsuite_budget_schema)
    budgets = PostgresBudgetStore(shell.pool, schema=settings.netsuite_budget_schema)
    await budgets.start()
    return assemble(settings, shell.pool, budgets, seams, shell.registry)
