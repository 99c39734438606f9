"""Wiring both write-back services share: the shell with its table of subscriptions, tenant lanes,
resume loop and routes (``writeback_app``), and the NetSuite clients their ``build_deps`` hands to the use cases, opened
once the shell's plumbing is up and closed after the shell has stopped."""
from __future__ import annotations

from pathlib import Path
from typing import Any

import asyncpg
import httpx
from fastapi import APIRouter, FastAPI
from netsuite_client import PostgresBudgetStore, install_schema
from prometheus_client import Gauge
from sb_runtime.service import BuildDeps, ServiceShell

from sb_writeback import MIGRATIONS, resumer
from sb_writeback.lanes import LanePolicy, Lanes, TenantLanes, Work
from sb_writeback.store import PgStore
from sb_writeback.work import WorkTable
from sb_writeback.topics import TopicNames, consumer_group

from sb_writeback.access import ConnectorCredentials, CredentialsSource
from sb_writeback.clients import ClientLimits, NetSuiteClients
from sb_writeback.settings import WriteBackSettings


async def open_clients(shell: ServiceShell, settings: WriteBackSettings,
                       credentials: CredentialsSource | None = None) -> NetSuiteClients:
    """``credentials`` replaces the connector's endpoint (tests: an emulator account's TBA credentials)."""
    http = httpx.AsyncClient(timeout=settings.netsuite_timeout_s)
    # The budget holds a LISTEN connection: its own small pool, closed after the shell's.
    pool = await asyncpg.create_pool(settings.database_url.get_secret_value(), min_size=1, max_size=8)
    await install_schema(pool, settings.netsuite_budget_schema)
    budgets = PostgresBudgetStore(pool, schema=settings.netsuite_budget_schema,
                                  lease_ttl_s=settings.netsuite_budget_lease_s)
    await budgets.start()
    for close in (budgets.close, pool.close, http.aclose):
        shell.on_stop(close)
    source = credentials or ConnectorCredentials(http, settings.connector_url, settings.connector_token.get_secret_value())
    limits = ClientLimits(settings.netsuite_account_concurrency_limit, settings.netsuite_budget_limit,
                          settings.netsuite_timeout_s)
    return NetSuiteClients(source, http, budgets.for_tenant, limits)


async def writeback_deps(deps: type, shell: ServiceShell, settings: WriteBackSettings,
                         credentials: CredentialsSource | None, lanes: Lanes, transaction: type, table: WorkTable,
                         **own: Any) -> Any:
    """A service's ``deps`` (a ``WriteBackDeps``) once the shell's pool is up: its store (``transaction`` rows
    of ``table``), the NetSuite clients, its lanes and ``own`` fields."""
    names = TopicNames(settings.topic_suffix)
    clients = await open_clients(shell, settings, credentials)
    return deps(store=PgStore(shell.pool, transaction, table, names), clients=clients, lanes=lanes, topics=names,
                stale_pending_s=settings.stale_pending_s, **own)


def tenant_lanes(settings: WriteBackSettings, write: Work, resume: Work, concurrency: int | None = None) -> TenantLanes:
    """The service's lanes: ``write`` / ``resume`` ``(deps, tenant_id, work_id)`` done per tenant."""
    return TenantLanes(write, resume, LanePolicy(concurrency or settings.lane_concurrency, settings.lane_base_backoff_s,
                                        settings.lane_max_backoff_s))


def writeback_app(service: str, schema: str, migrations: Path, subscriptions: dict[str, Any], publishes: list[str],
                  settings: WriteBackSettings, build_deps: BuildDeps, lanes: TenantLanes,
                  router: APIRouter) -> FastAPI:
    """A write-back service: its subscriptions (the first topic is the main one: its consumer group is the
    service's), the shared tables' migrations before its own, its tenant lanes (``build_deps`` puts the
    same ``lanes`` in its Deps), the resume loop and its routes."""
    names = TopicNames(settings.topic_suffix)
    subscribes = list(subscriptions)
    shell = ServiceShell(service, settings, schema, migrations, topics=[names(t) for t in subscribes + publishes],
                         library_migrations=MIGRATIONS, build_deps=build_deps)
    for topic, handler in subscriptions.items():
        shell.subscribe(names(topic), consumer_group(settings.consumer_group, topic, subscribes[0]), handler)
    shell.loop(lanes.run)
    shell.loop(lambda: resumer.run(shell.deps, settings.resume_interval_s))
    Gauge("sb_writeback_lane_backlog", "Work rows queued or running in the tenant lanes",
          registry=shell.registry).set_function(lanes.backlog)
    Gauge("sb_writeback_lanes_backing_off", "Tenants whose lane is paused after NetSuite/connector failures",
          registry=shell.registry).set_function(lanes.backing_off)
    app = shell.http_app(f"suitebridge {service}")
    app.include_router(router)
    return app
