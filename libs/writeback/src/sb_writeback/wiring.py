"""Wiring both write-back services share: NetSuite clients built on first use (the shell's pool and
broker exist by then) and closed after the shell has stopped consuming."""
from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable, Callable
from typing import Generic, TypeVar

import asyncpg
import httpx
from fastapi import FastAPI
from netsuite_client import PostgresBudgetStore, install_schema

from sb_writeback.access import ConnectorCredentials, CredentialsSource
from sb_writeback.clients import ClientLimits, NetSuiteClients
from sb_writeback.settings import WriteBackSettings

T = TypeVar("T")
Closer = Callable[[], Awaitable[None]]


class Lazy(Generic[T]):
    """Built once, on the first ``get()``."""

    def __init__(self, build: Callable[[], Awaitable[T]]) -> None:
        self._build = build
        self._value: T | None = None
        self._lock = asyncio.Lock()

    async def get(self) -> T:
        async with self._lock:
            if self._value is None:
                self._value = await self._build()
            return self._value


class WriteBackResources:
    """The NetSuite clients of a write-back service and whatever else must close with them."""

    def __init__(self, settings: WriteBackSettings, credentials: CredentialsSource | None = None) -> None:
        self._settings = settings
        self._credentials = credentials
        self._closers: list[Closer] = []
        self.clients = Lazy(self._open_clients)

    def close_with(self, closer: Closer) -> None:
        self._closers.append(closer)

    async def _open_clients(self) -> NetSuiteClients:
        settings = self._settings
        http = httpx.AsyncClient(timeout=settings.netsuite_timeout_s)
        # The budget holds a LISTEN connection: its own small pool, closed after the shell's.
        pool = await asyncpg.create_pool(settings.database_url.get_secret_value(), min_size=1, max_size=8)
        await install_schema(pool, settings.netsuite_budget_schema)
        budgets = PostgresBudgetStore(pool, schema=settings.netsuite_budget_schema,
                                      lease_ttl_s=settings.netsuite_budget_lease_s)
        await budgets.start()
        self._closers += [budgets.close, pool.close, http.aclose]
        source = self._credentials or ConnectorCredentials(http, settings.connector_url,
                                                           settings.connector_token.get_secret_value())
        limits = ClientLimits(settings.netsuite_account_concurrency_limit, settings.netsuite_budget_limit,
                              settings.netsuite_timeout_s)
        return NetSuiteClients(source, http, budgets.for_tenant, limits)

    async def close(self) -> None:
        for closer in self._closers:
            with contextlib.suppress(Exception):
                await closer()


def close_after_shell(app: FastAPI, close: Closer) -> None:
    """Run ``close`` once the app's own lifespan (the service shell) has stopped."""
    shell_lifespan = app.router.lifespan_context

    @contextlib.asynccontextmanager
    async def lifespan(application: FastAPI):
        try:
            async with shell_lifespan(application):
                yield
        finally:
            await close()

    app.router.lifespan_context = lifespan
