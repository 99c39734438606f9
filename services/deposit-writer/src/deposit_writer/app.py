"""Wiring for deposit-writer: settings in, a runnable ASGI app out. No I/O before startup."""
from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI

from contracts import topics
from sb_runtime.service import ServiceShell

from deposit_writer import subscribers
from deposit_writer.settings import Settings

SERVICE = "deposit-writer"
SCHEMA = "deposit_writer"
MIGRATIONS = Path(__file__).resolve().parents[2] / "migrations"
SUBSCRIBES = [topics.PLATFORM_PAYOUTS, topics.PAYMENT_OUTCOMES, topics.NETSUITE_SETUP]
PUBLISHES = [topics.PAYOUT_OUTCOMES, topics.ACTION_ITEMS]


def create_app(settings: Settings) -> FastAPI:
    shell = ServiceShell(SERVICE, settings, SCHEMA, MIGRATIONS, topics=SUBSCRIBES + PUBLISHES)
    for topic in SUBSCRIBES:
        shell.subscribe(topic, group_id=SERVICE, process=subscribers.log_event)
    app = shell.http_app("suitebridge deposit-writer")
    app.state.shell = shell
    return app
