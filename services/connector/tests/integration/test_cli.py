"""The terminal progress bar follows a real initial sync to its end."""
from __future__ import annotations

import asyncio
import os
import sys

from connector.testing import ADMIN_TOKEN, connect_through_form, running_connector


async def test_sync_status_shows_progress_until_connected(ns, make_settings, callback_port, unique):
    account = ns.create_account(seed={"customers": 6, "invoices": 200, "months": 30, "random_seed": 8})
    ns.patch_account(account["account_id"], latency_ms=10)
    tenant = f"t-{unique}"
    settings = make_settings(page_size=25, pdf_initial_scope="none", initial_sync_slice_s=0.3)
    async with running_connector(settings, callback_port) as (url, _):
        await connect_through_form(url, tenant, account["account_id"])
        process = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "connector", "sync-status", "--tenant", tenant, "--interval", "0.2",
            env={**os.environ, "CONNECTOR_URL": url, "CONNECTOR_TOKEN": ADMIN_TOKEN, "COLUMNS": "160"},
            stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT)
        output, _ = await asyncio.wait_for(process.communicate(), timeout=120)
    text = output.decode()
    assert process.returncode == 0, text
    assert "phase done" in text or "connected" in text, text
    assert "invoices 200/200" in text or "invoices" in text
