"""Integration fixtures: the real broker and PostgreSQL (root conftest), the NetSuite emulator over
HTTP, and payment-reconciler running in-process with emulator accounts' TBA credentials.

One instance serves a whole test module (``running_service``); every test works in a tenant and
emulator account of its own (``world``; both from ``sb_writeback.fixtures``). Tests that need their
own configuration start another instance with ``SERVICE.started``.
"""
from __future__ import annotations

from sb_writeback.fixtures import ServiceUnderTest, emulator, running_service, under_test, world  # noqa: F401

from payment_reconciler.app import create_app
from payment_reconciler.settings import Settings

SIGNING_KEY = "signing-key-for-tests"
SERVICE = ServiceUnderTest("payment-reconciler", create_app, Settings, timezone="America/Los_Angeles",
                           defaults={"admin_token": "admin-token-for-tests", "token_signing_key": SIGNING_KEY,
                                     "invoice_unknown_after_s": 1.0})
TIMEZONE = SERVICE.timezone

service_under_test = under_test(SERVICE)
