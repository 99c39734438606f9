"""Every service starts on the real database and broker and answers its operational routes."""
import importlib
import uuid

import httpx
import pytest

from sb_runtime.testing import served

SERVICES = ["connector", "invoice_sync", "payment_reconciler", "deposit_writer"]


@pytest.mark.parametrize("package", SERVICES)
async def test_service_starts_and_answers_health_ready_and_metrics(package, database_url, kafka_bootstrap, monkeypatch):
    app_module = importlib.import_module(f"{package}.app")
    settings_module = importlib.import_module(f"{package}.settings")
    prefix = settings_module.Settings.model_config["env_prefix"]
    monkeypatch.setenv(f"{prefix}DATABASE_URL", database_url)
    monkeypatch.setenv(f"{prefix}KAFKA_BOOTSTRAP_SERVERS", kafka_bootstrap)
    monkeypatch.setenv(f"{prefix}TOPIC_PARTITIONS", "2")
    monkeypatch.setenv(f"{prefix}ADMIN_TOKEN", "admin-test")
    monkeypatch.setenv(f"{prefix}TOKEN_SIGNING_KEY", "signing-test")
    if "topic_suffix" in settings_module.Settings.model_fields:  # not the backlog other tests left on the real topics
        monkeypatch.setenv(f"{prefix}TOPIC_SUFFIX", f".wiring{uuid.uuid4().hex[:8]}")
    app = app_module.create_app(settings_module.Settings())
    async with served(app) as url, httpx.AsyncClient(base_url=url) as http:
        assert (await http.get("/healthz")).json() == {"status": "ok"}
        ready = await http.get("/readyz")
        assert ready.status_code == 200, ready.text
        consumers = {name for name in ready.json()["checks"] if name.startswith("consumer:")}
        assert len(consumers) >= 1, "every consumer, batch or single, is checked by /readyz"
        metrics = await http.get("/metrics")
        assert metrics.status_code == 200 and "text/plain" in metrics.headers["content-type"]


def test_asyncapi_documents_are_generated_from_the_declared_channels():
    from contracts.asyncapi import document
    from contracts.registry import TOPIC_EVENTS

    for package in SERVICES:
        app = importlib.import_module(f"{package}.app")
        spec = document(app.SERVICE, list(app.SUBSCRIBES), list(app.PUBLISHES))
        addresses = {channel["address"] for channel in spec["channels"].values()}
        assert addresses == set(app.SUBSCRIBES) | set(app.PUBLISHES)
        assert addresses <= set(TOPIC_EVENTS)
        assert spec["asyncapi"].startswith("3.")
