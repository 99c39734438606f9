"""Integration fixtures: the real broker and PostgreSQL (root conftest), the NetSuite emulator over
HTTP, and deposit-writer running in-process with emulator accounts' TBA credentials.

One instance serves a whole test module (``running_service``); every test works in a tenant and
emulator account of its own (``world``; both from ``sb_writeback.fixtures``).
"""
from __future__ import annotations

from sb_writeback.fixtures import ServiceUnderTest, emulator, running_service, under_test, world  # noqa: F401

from deposit_writer.app import create_app
from deposit_writer.settings import Settings

SERVICE = ServiceUnderTest("deposit-writer", create_app, Settings, timezone="America/New_York")
TIMEZONE = SERVICE.timezone

service_under_test = under_test(SERVICE)
