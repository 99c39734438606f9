"""Wiring for payment-reconciler: settings in, a runnable ASGI app out. No I/O before startup."""
from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI

import sb_writeback
from contracts import topics
from sb_runtime.service import Batch
from sb_writeback.access import CredentialsSource
from sb_writeback.subscribers import on_setup
from sb_writeback.wiring import tenant_lanes, writeback_app

from payment_reconciler import routes, writing
from payment_reconciler.deps import build_deps
from payment_reconciler.resumer import resume_payment
from payment_reconciler.settings import Settings
from payment_reconciler.subscribers import decode_payment, on_invoice, on_payments

SERVICE = "payment-reconciler"
SCHEMA = "payment_reconciler"
MIGRATIONS = Path(__file__).resolve().parents[2] / "migrations"
LIBRARY_MIGRATIONS = sb_writeback.MIGRATIONS
SUBSCRIPTIONS = {
    topics.PLATFORM_PAYMENTS: Batch(decode_payment, on_payments),
    topics.INVOICES: on_invoice,
    topics.NETSUITE_SETUP: on_setup,
}
SUBSCRIBES = list(SUBSCRIPTIONS)
PUBLISHES = [topics.PAYMENT_OUTCOMES, topics.ACTION_ITEMS]


def create_app(settings: Settings, credentials: CredentialsSource | None = None) -> FastAPI:
    """``credentials`` replaces the connector's endpoint (tests: an emulator account's TBA credentials)."""
    lanes = tenant_lanes(settings, writing.write_payment, resume_payment)
    return writeback_app(SERVICE, SCHEMA, MIGRATIONS, SUBSCRIPTIONS, PUBLISHES, settings,
                         lambda shell: build_deps(shell, settings, credentials, lanes), lanes, routes.router())
