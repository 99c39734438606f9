"""Test helpers: a connector on a real port, settings for the NetSuite emulator, the connect flow
through the emulator's real authorize form, and readers of what the connector published."""
from __future__ import annotations

import asyncio
import datetime as dt
import html
import json
import re
import time
from contextlib import asynccontextmanager
from urllib.parse import urljoin

import httpx
from cryptography.fernet import Fernet

from connector.app import create_app
from connector.clock import SystemClock
from connector.deps import Observer, Seams
from connector.settings import Settings
from sb_runtime.testing import served, wait_until

CALLBACK_PATH = "/v1/oauth/netsuite/callback"
ADMIN_TOKEN = "admin-connector-test"
SIGNING_KEY = "signing-connector-test"
INTERNAL_TOKEN = "internal-connector-test"
ENCRYPTION_KEY = Fernet.generate_key().decode()


def callback_url(port: int) -> str:
    return f"http://127.0.0.1:{port}{CALLBACK_PATH}"


def settings_for(emulator_url: str, oauth: dict, database_url: str, kafka: str, schema: str, port: int,
                 **overrides) -> Settings:
    """Settings pointing at the emulator's path-based URLs, fast enough for tests."""
    template = emulator_url.rstrip("/") + "/accounts/{account_id}"
    values = dict(
        database_url=database_url, kafka_bootstrap_servers=kafka, topic_partitions=2, database_schema=schema,
        admin_token=ADMIN_TOKEN, token_signing_key=SIGNING_KEY, token_encryption_keys=ENCRYPTION_KEY,
        internal_token=INTERNAL_TOKEN,
        netsuite_rest_base_template=template, netsuite_restlet_base_template=template,
        netsuite_app_base_template=template, oauth_client_id=oauth["client_id"],
        oauth_client_secret=oauth["client_secret"], oauth_redirect_uri=callback_url(port),
        poll_interval_s=1.0, customers_poll_interval_s=1.0, scheduler_tick_s=0.05, overlap_s=30,
        relay_poll_interval_s=0.05, initial_sync_slice_s=2.0, log_level="warning",
    )
    values.update(overrides)
    return Settings(**values)


class AdjustableClock(SystemClock):
    """The real clock moved forward by hand: time-dependent behaviour without sleeping."""

    def __init__(self):
        self.offset = dt.timedelta(0)

    def now(self) -> dt.datetime:
        return super().now() + self.offset

    def advance(self, **delta: float) -> dt.datetime:
        self.offset += dt.timedelta(**delta)
        return self.now()


class PollLog(Observer):
    """Records every (tenant, instance, start, end) to prove no tenant is polled twice at once."""

    def __init__(self):
        self.open: dict[tuple[str, str], float] = {}
        self.spans: list[tuple[str, str, float, float]] = []

    def poll_started(self, tenant_id: str, instance_id: str) -> None:
        self.open[(tenant_id, instance_id)] = time.monotonic()

    def poll_finished(self, tenant_id: str, instance_id: str) -> None:
        started = self.open.pop((tenant_id, instance_id), time.monotonic())
        self.spans.append((tenant_id, instance_id, started, time.monotonic()))

    def overlaps(self) -> list[tuple]:
        found = []
        by_tenant: dict[str, list] = {}
        for span in sorted(self.spans, key=lambda s: s[2]):
            by_tenant.setdefault(span[0], []).append(span)
        for spans in by_tenant.values():
            for earlier, later in zip(spans, spans[1:]):
                if later[2] < earlier[3]:
                    found.append((earlier, later))
        return found


@asynccontextmanager
async def running_connector(settings: Settings, port: int = 0, observer: Observer | None = None,
                            http: httpx.AsyncClient | None = None, clock: SystemClock | None = None):
    """Serve the connector (lifespan included) on ``port`` and its internal listener on a free port
    (``app.state.internal_url``); yields (base url, app). ``app.state.shell.deps`` is its ``Deps``."""
    seams = Seams(observer=observer or Observer(), clock=clock or SystemClock(), http=http)
    app = create_app(settings, seams, configure_logs=False)
    async with served(app, port=port) as url, served(app.state.internal_app, lifespan="off") as internal_url:
        app.state.internal_url = internal_url
        yield url, app


async def connect_with_tba(connector_url: str, tenant_id: str, account: dict, **changes) -> httpx.Response:
    """``PUT .../netsuite/tba`` with an emulator account's TBA set (``changes`` override its values)."""
    body = {"account_id": account["account_id"], **account["tba"], **changes}
    async with httpx.AsyncClient(base_url=connector_url, timeout=60) as api:
        return await api.put(f"/v1/tenants/{tenant_id}/netsuite/tba", json=body, headers=admin_headers())


def admin_headers() -> dict[str, str]:
    return {"Authorization": f"Bearer {ADMIN_TOKEN}"}


def internal_headers() -> dict[str, str]:
    """The service-to-service credential of the internal listener (``app.state.internal_url``)."""
    return {"Authorization": f"Bearer {INTERNAL_TOKEN}"}


async def connect_through_form(connector_url: str, tenant_id: str, account_id: str,
                               decision: str = "allow", confirm_switch: bool = False) -> httpx.Response:
    """The whole connect flow as a partner's browser does it: authorize page, Allow, callback."""
    async with httpx.AsyncClient(base_url=connector_url, timeout=30) as api, \
            httpx.AsyncClient(timeout=30, follow_redirects=False) as browser:
        body = {"account_id": account_id, **({"confirm_switch": True} if confirm_switch else {})}
        started = await api.post(f"/v1/tenants/{tenant_id}/netsuite/connect", json=body, headers=admin_headers())
        assert started.status_code == 200, started.text
        authorize_url = started.json()["authorize_url"]
        page = await browser.get(authorize_url)
        assert page.status_code == 200, page.text
        action = html.unescape(re.search(r'<form[^>]*action="([^"]+)"', page.text).group(1))
        answer = await browser.post(urljoin(authorize_url, action), data={"decision": decision})
        assert answer.status_code == 302, answer.text
        return await browser.get(answer.headers["location"])


async def status(connector_url: str, tenant_id: str) -> dict:
    async with httpx.AsyncClient(base_url=connector_url, timeout=30) as api:
        response = await api.get(f"/v1/tenants/{tenant_id}/netsuite", headers=admin_headers())
        assert response.status_code == 200, response.text
        return response.json()


async def wait_for_status(connector_url: str, tenant_id: str, condition, *, timeout_s: float = 60.0,
                          message: str = "the status") -> dict:
    """The tenant's status once ``condition(status)`` holds; fails with ``message`` after ``timeout_s``."""

    async def check():
        state = await status(connector_url, tenant_id)
        return state if condition(state) else None

    return await wait_until(check, timeout_s=timeout_s, interval_s=0.1, message=f"{message} of tenant {tenant_id}")


async def until_connected(connector_url: str, tenant_id: str, timeout_s: float = 60.0) -> dict:
    return await wait_for_status(connector_url, tenant_id, lambda state: state["status"] == "connected",
                                 timeout_s=timeout_s, message="the initial sync to finish")


def events_of(records, tenant_id: str) -> list[dict]:
    """Decoded events of ``tenant_id`` among Kafka records."""
    found = []
    for record in records:
        document = json.loads(record.value)
        if document.get("tenant_id") == tenant_id:
            found.append(document)
    return found


class TopicWatcher:
    """Reads topics from the beginning in the background and keeps one tenant's events."""

    def __init__(self, bootstrap_servers: str, topics: list[str], tenant_id: str):
        self._bootstrap = bootstrap_servers
        self._topics = topics
        self._tenant = tenant_id
        self.events: list[dict] = []
        self._task: asyncio.Task | None = None

    async def __aenter__(self) -> TopicWatcher:
        from aiokafka import AIOKafkaConsumer, TopicPartition
        from sb_runtime.kafka import ensure_topics

        await ensure_topics(self._bootstrap, {topic: 2 for topic in self._topics})
        self._consumer = AIOKafkaConsumer(bootstrap_servers=self._bootstrap, enable_auto_commit=False,
                                          max_partition_fetch_bytes=16 * 1024 * 1024)
        await self._consumer.start()
        partitions = []
        for topic in self._topics:
            found = None
            while not found:
                await self._consumer._client.force_metadata_update()  # noqa: SLF001 - test helper
                found = self._consumer.partitions_for_topic(topic)
            partitions += [TopicPartition(topic, p) for p in sorted(found)]
        self._consumer.assign(partitions)
        await self._consumer.seek_to_beginning(*partitions)
        self._task = asyncio.create_task(self._read())
        return self

    async def _read(self) -> None:
        while True:
            batch = await self._consumer.getmany(timeout_ms=100)
            for records in batch.values():
                for record in records:
                    if self._tenant.encode() in (record.key or b"") or self._tenant.encode() in record.value[:400]:
                        document = json.loads(record.value)
                        if document.get("tenant_id") == self._tenant:
                            document["_topic"] = record.topic
                            self.events.append(document)

    async def __aexit__(self, *exc) -> None:
        self._task.cancel()
        try:
            await self._task
        except asyncio.CancelledError:
            pass
        await self._consumer.stop()

    def of_type(self, event_type: str) -> list[dict]:
        return [event for event in self.events if event["event_type"] == event_type]

    async def wait_for(self, condition, timeout_s: float = 30.0, message: str = "events"):
        deadline = time.monotonic() + timeout_s
        while True:
            value = condition(self)
            if value:
                return value
            if time.monotonic() > deadline:
                raise AssertionError(f"timed out after {timeout_s}s waiting for {message}")
            await asyncio.sleep(0.05)
