"""Wiring both write-back services share: the NetSuite clients their ``build_deps`` hands to the use
cases, opened once the shell's plumbing is up and closed after the shell has stopped."""
from __future__ import annotations

import asyncpg
import httpx
from netsuite_client import PostgresBudgetStore, install_schema
from sb_runtime.service import ServiceShell

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
    source = credentials or ConnectorCredentials(http, settings.connector_url, settings.admin_token.get_secret_value())
    limits = ClientLimits(settings.netsuite_account_concurrency_limit, settings.netsuite_budget_limit,
                          settings.netsuite_timeout_s)
    return NetSuiteClients(source, http, budgets.for_tenant, limits)
