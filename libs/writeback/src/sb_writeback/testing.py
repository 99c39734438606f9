"""Test doubles of suitebridge's own boundary (never of NetSuite: tests talk to the real emulator).

``WriteBackWorld`` is what a write-back integration test works in: a fresh emulator account (its
seeded chart of accounts has Undeposited Funds ``3``, the banks ``1``/``2``, platform income ``9``
and a fee expense ``10`` — the defaults of ``account_setup_saved``), the partner's own NetSuite user
(TBA) to arrange and inspect records, and a producer for the test's topics.

``StaticCredentials`` answers from a dict, e.g. an emulator account's TBA credentials
(``tba_access``). ``fake_connector`` serves the connector's internal credentials endpoint on a
loopback port for service *processes* under test, with a real OAuth 2.0 access token obtained
from the emulator by ``oauth2_access`` (authorization code + PKCE, exactly as the connector does).
"""
from __future__ import annotations

import asyncio
import socket
import threading
import time
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager, contextmanager
from dataclasses import dataclass
from decimal import Decimal
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import uvicorn
from aiokafka import AIOKafkaProducer
from netsuite_client import (NetSuiteClient, TbaCredentials, UnlimitedBudget, build_authorize_url, exchange_code,
                             new_code_verifier, new_state)
from netsuite_client.testing import tenant_config_for_emulator
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from contracts import topics
from contracts.envelope import Event, utc_now
from contracts.registry import decode
from sb_runtime.kafka import ensure_topics, new_producer
from sb_runtime.testing import read_topic, wait_until
from contracts.setup import AccountSetupSaved, ConnectionChanged
from sb_writeback.access import NetSuiteAccess, NotConnected
from sb_writeback.topics import TopicNames

WRITE_BACK_TOPICS = (topics.PLATFORM_PAYMENTS, topics.PLATFORM_PAYOUTS, topics.INVOICES, topics.NETSUITE_SETUP,
                     topics.PAYMENT_OUTCOMES, topics.PAYOUT_OUTCOMES, topics.ACTION_ITEMS)


class StaticCredentials:
    def __init__(self, accesses: dict[str, NetSuiteAccess] | None = None) -> None:
        self.accesses = dict(accesses or {})

    async def access(self, tenant_id: str, *, stale_token: str | None = None) -> NetSuiteAccess:
        try:
            return self.accesses[tenant_id]
        except KeyError:
            raise NotConnected(f"tenant {tenant_id} has no NetSuite connection") from None


def tba_access(emulator_url: str, account: dict, timezone: str | None = None) -> NetSuiteAccess:
    """Access to an emulator account (a ``create_account`` answer) with its TBA credentials."""
    base = f"{emulator_url.rstrip('/')}/accounts/{account['account_id']}"
    tba = account["tba"]
    return NetSuiteAccess(account_id=account["account_id"], rest_base_url=base, restlet_base_url=base,
                          timezone=timezone, tba=TbaCredentials(tba["consumer_key"], tba["consumer_secret"],
                                                                tba["token_id"], tba["token_secret"]))


async def oauth2_access(emulator_url: str, account: dict, timezone: str | None = None) -> NetSuiteAccess:
    """A bearer access token for an emulator account, through its consent page and token endpoint."""
    base = f"{emulator_url.rstrip('/')}/accounts/{account['account_id']}"
    integration = account["oauth2"]
    redirect_uri, verifier = integration["redirect_uris"][0], new_code_verifier()
    url = build_authorize_url(f"{base}/app/login/oauth2/authorize.nl", client_id=integration["client_id"],
                              redirect_uri=redirect_uri, state=new_state(), code_verifier=verifier)
    async with httpx.AsyncClient(timeout=30) as http:
        consent = await http.post(url, data={"decision": "allow"})
        code = parse_qs(urlsplit(consent.headers["location"]).query)["code"][0]
        tokens = await exchange_code(http, f"{base}/services/rest/auth/oauth2/v1/token",
                                     client_id=integration["client_id"], client_secret=integration["client_secret"],
                                     code=code, redirect_uri=redirect_uri, code_verifier=verifier)
    return NetSuiteAccess(account_id=account["account_id"], rest_base_url=base, restlet_base_url=base,
                          timezone=timezone, access_token=tokens.access_token, expires_at=tokens.expires_at)


def _credentials_body(access: NetSuiteAccess) -> dict:
    """The connector's answer: a bearer token, or (``kind: "tba"``) the TBA set."""
    body = {"account_id": access.account_id, "rest_base_url": access.rest_base_url,
            "restlet_base_url": access.restlet_base_url, "access_token": access.access_token,
            "expires_at": access.expires_at, "timezone": access.timezone,
            "kind": "tba" if access.tba is not None else "oauth2"}
    if access.tba is not None:
        tba = access.tba
        body["tba"] = {"consumer_key": tba.consumer_key, "consumer_secret": tba.consumer_secret,
                       "token_id": tba.token_id, "token_secret": tba.token_secret}
    return body


def _credentials_app(accesses: dict[str, NetSuiteAccess], admin_token: str) -> Starlette:
    async def credentials(request: Request) -> JSONResponse:
        if request.headers.get("authorization") != f"Bearer {admin_token}":
            return JSONResponse({"error": {"code": "unauthorized", "message": "admin token needed"}}, 401)
        access = accesses.get(request.path_params["tenant_id"])
        if access is None:
            return JSONResponse({"error": {"code": "not_found", "message": "not connected"}}, 404)
        return JSONResponse(_credentials_body(access))

    return Starlette(routes=[Route("/internal/tenants/{tenant_id}/netsuite/credentials", credentials)])


@contextmanager
def fake_connector(accesses: dict[str, NetSuiteAccess], admin_token: str):
    """Serve the credentials endpoint on a free loopback port in a thread; yields its base URL."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    config = uvicorn.Config(_credentials_app(accesses, admin_token), log_level="warning", lifespan="off")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.01)
    try:
        yield f"http://127.0.0.1:{sock.getsockname()[1]}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()


def envelope(event_type: str, tenant_id: str) -> dict:
    """Envelope fields of an event as a producer would send it (a fresh random event id)."""
    return {"event_id": str(uuid.uuid4()), "event_type": event_type, "schema_version": 1, "tenant_id": tenant_id,
            "occurred_at": utc_now()}


def connection_changed(tenant_id: str, account_id: str, timezone: str | None = None,
                       status: str = "connected", id_scope: str | None = None) -> ConnectionChanged:
    return ConnectionChanged(**envelope("ConnectionChanged", tenant_id), data={
        "status": status, "netsuite_account_id": account_id, "timezone": timezone, "changed_at": utc_now(),
        "id_scope": id_scope})


def account_setup_saved(tenant_id: str, account_id: str, undeposited_funds: str = "3", deposit_bank: str = "1",
                        fee_expense: str | None = "10", platform_income: str | None = "9",
                        currencies: dict[str, str] | None = None) -> AccountSetupSaved:
    return AccountSetupSaved(**envelope("AccountSetupSaved", tenant_id), data={
        "netsuite_account_id": account_id, "undeposited_funds": undeposited_funds, "deposit_bank": deposit_bank,
        "fee_expense": fee_expense, "platform_income": platform_income, "saved_at": utc_now(),
        "currencies": currencies or {}})


@dataclass
class WriteBackWorld:
    emulator: Any  # netsuite_emulator.testing.RunningEmulator
    account: dict
    tenant_id: str
    names: TopicNames
    bootstrap: str
    producer: AIOKafkaProducer
    netsuite: NetSuiteClient  # the partner's own NetSuite user

    @classmethod
    @asynccontextmanager
    async def open(cls, emulator, bootstrap: str, tenant_id: str, suffix: str, timezone: str = "UTC",
                   partitions: int = 2, **account_options) -> AsyncIterator[WriteBackWorld]:
        options = {"seed": {"customers": 3, "invoices": 0, "random_seed": 1}, **account_options}
        account = await asyncio.to_thread(emulator.create_account, timezone=timezone, **options)
        names = TopicNames(suffix)
        await ensure_topics(bootstrap, {names(t): partitions for t in WRITE_BACK_TOPICS})
        producer = new_producer(bootstrap)
        await producer.start()
        netsuite = NetSuiteClient(tenant_config_for_emulator(emulator.url, account), budget=UnlimitedBudget())
        try:
            yield cls(emulator, account, tenant_id, names, bootstrap, producer, netsuite)
        finally:
            await producer.stop()
            await netsuite.aclose()

    @classmethod
    @asynccontextmanager
    async def served_by(cls, emulator, bootstrap: str, tenant_id: str, suffix: str, credentials: StaticCredentials,
                        timezone: str = "UTC") -> AsyncIterator[WriteBackWorld]:
        """A world whose tenant the running service (topic ``suffix``) reaches with the account's TBA credentials."""
        async with cls.open(emulator, bootstrap, tenant_id, suffix, timezone) as world:
            credentials.accesses[tenant_id] = tba_access(emulator.url, world.account, timezone)
            yield world

    @property
    def account_id(self) -> str:
        return self.account["account_id"]

    async def send(self, *events: Event) -> None:
        for event in events:
            await self.producer.send_and_wait(self.names(event.TOPIC), event.to_bytes(), key=event.kafka_key())

    async def send_burst(self, events: list[Event]) -> None:
        """Send without waiting for each acknowledgement: they land on the broker at once."""
        for event in events:
            await self.producer.send(self.names(event.TOPIC), event.to_bytes(), key=event.kafka_key())
        await self.producer.flush()

    async def send_raw(self, topic: str, value: bytes) -> None:
        await self.producer.send_and_wait(self.names(topic), value, key=self.tenant_id.encode())

    async def events(self, topic: str, timeout_s: float = 1.0) -> list[Event]:
        """This tenant's events on ``topic`` so far (other tests' tenants may share the topic)."""
        records = await read_topic(self.bootstrap, self.names(topic), at_least=1, timeout_s=timeout_s)
        events = [decode(topic, record.value) for record in records]
        return [event for event in events if event.tenant_id == self.tenant_id]

    async def outcome(self, topic: str, work_id: str, status: str, timeout_s: float = 30.0, containing: str = ""):
        """The first outcome on ``topic`` of payment or payout ``work_id`` with ``status`` (and ``containing``)."""
        async def found():
            return next((e for e in await self.events(topic, timeout_s=0.5) if e.data.status == status
                         and work_id in (getattr(e.data, "payment_id", None), getattr(e.data, "payout_id", None))
                         and containing in (e.data.message or "")), None)

        return await wait_until(found, timeout_s, message=f"{status} outcome of {work_id}")

    async def failing_requests(self) -> int:
        """How many of this account's NetSuite requests the emulator failed with a 5xx."""
        stats = await asyncio.to_thread(self.emulator.stats, self.account_id)
        return sum(count for status, count in stats["status_counts"].items() if int(status) >= 500)

    async def dead_letters(self, topic: str, at_least: int = 1, timeout_s: float = 30.0) -> list[tuple[bytes, dict]]:
        """(original bytes, headers) of this tenant's messages dead-lettered from ``topic``."""
        records = await read_topic(self.bootstrap, self.names(topic) + ".dlq", at_least=at_least, timeout_s=timeout_s)
        return [(r.value, dict(r.headers)) for r in records if r.key == self.tenant_id.encode()]

    async def create_invoice(self, amount: str, customer: str = "1") -> str:
        body = {"entity": {"id": customer}, "item": {"items": [{"item": {"id": "1"}, "quantity": 1,
                                                                "rate": Decimal(amount)}]}}
        return await self.netsuite.records.create("invoice", body)

    async def record(self, record_type: str, record_id: str) -> dict:
        return await self.netsuite.records.get(record_type, record_id, expand_sub_resources=True)

    async def suiteql(self, query: str) -> list[dict]:
        return [row async for row in self.netsuite.suiteql.iterate(query)]

    async def written(self, kind: str) -> list[dict]:
        """The transactions suitebridge wrote for this tenant with externalId ``sb-<kind>-<tenant>-...``."""
        prefix = f"sb-{kind}-{self.tenant_id}-"
        return await self.suiteql("SELECT id, externalid, type, foreigntotal FROM transaction "
                                  f"WHERE externalid LIKE '{prefix}%' ORDER BY id")
