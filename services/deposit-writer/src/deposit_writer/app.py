"""Wiring for deposit-writer: settings in, a runnable ASGI app out. No I/O before startup."""
from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI

import sb_writeback
from contracts import topics
from sb_writeback.access import CredentialsSource
from sb_writeback.subscribers import on_setup
from sb_writeback.wiring import tenant_lanes, writeback_app

from deposit_writer import routes, writing
from deposit_writer.deps import build_deps
from deposit_writer.resumer import resume_payout
from deposit_writer.settings import Settings
from deposit_writer.subscribers import on_payment_outcome, on_payout

SERVICE = "deposit-writer"
SCHEMA = "deposit_writer"
MIGRATIONS = Path(__file__).resolve().parents[2] / "migrations"
LIBRARY_MIGRATIONS = sb_writeback.MIGRATIONS
SUBSCRIPTIONS = {
    topics.PLATFORM_PAYOUTS: on_payout,
    topics.PAYMENT_OUTCOMES: on_payment_outcome,
    topics.NETSUITE_SETUP: on_setup,
}
SUBSCRIBES = list(SUBSCRIPTIONS)
PUBLISHES = [topics.PAYOUT_OUTCOMES, topics.ACTION_ITEMS]


def create_app(settings: Settings, credentials: CredentialsSource | None = None) -> FastAPI:
    """``credentials`` replaces the connector's endpoint (tests: an emulator account's TBA credentials).
    A tenant's payouts are posted one at a time (its lane's concurrency is 1): its payout decisions
    are serialised by its lock anyway; other tenants' lanes run beside it."""
    lanes = tenant_lanes(settings, writing.post_deposit, resume_payout, concurrency=1)
    return writeback_app(SERVICE, SCHEMA, MIGRATIONS, SUBSCRIPTIONS, PUBLISHES, settings,
                         lambda shell: build_deps(shell, settings, credentials, lanes), lanes, routes.router())
