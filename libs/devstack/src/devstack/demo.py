"""The ``make run`` demo: a seeded NetSuite account, a tenant connected through the real OAuth
flow (authorize page, Allow, callback), account setup once connected, and platform traffic."""
from __future__ import annotations

import threading
import time

import httpx

from devstack.processes import Child

TENANT = "msp-demo"
ACCOUNT = "TSTDRV7001"
SEED = {"customers": 40, "invoices": 800, "months": 24, "random_seed": 7}


def connect_through_oauth(connector_url: str, admin_token: str, tenant_id: str, account_id: str) -> None:
    """Do what a partner does in the browser: start, Allow on NetSuite's page, land on the callback."""
    headers = {"Authorization": f"Bearer {admin_token}"}
    with httpx.Client(timeout=30) as http:
        started = http.post(f"{connector_url}/v1/tenants/{tenant_id}/netsuite/connect", headers=headers,
                            json={"account_id": account_id})
        started.raise_for_status()
        authorize_url = started.json()["authorize_url"]
        http.get(authorize_url).raise_for_status()
        decision = http.post(authorize_url, data={"decision": "allow"}, follow_redirects=False)
        if decision.status_code != 302:
            raise RuntimeError(f"NetSuite's authorize page answered {decision.status_code}")
        callback = http.get(decision.headers["location"])
        callback.raise_for_status()


def choose_accounts(connector_url: str, admin_token: str, tenant_id: str) -> dict:
    """Pick Undeposited Funds, a bank, the fee expense and platform income from NetSuite's list."""
    headers = {"Authorization": f"Bearer {admin_token}"}
    with httpx.Client(timeout=30, headers=headers) as http:
        items = http.get(f"{connector_url}/v1/tenants/{tenant_id}/netsuite/accounts").json()["items"]

        def first(predicate):
            return next((a["id"] for a in items if predicate(a)), None)

        choice = {
            "undeposited_funds": first(lambda a: a.get("special") == "UndepFunds"),
            "deposit_bank": first(lambda a: a["type"] == "bank"),
            "fee_expense": first(lambda a: a["type"] == "expense"),
            "platform_income": first(lambda a: a["type"] == "income"),
        }
        http.put(f"{connector_url}/v1/tenants/{tenant_id}/netsuite/accounts", json=choice).raise_for_status()
        return choice


def _status(connector_url: str, admin_token: str, tenant_id: str) -> dict:
    return httpx.get(f"{connector_url}/v1/tenants/{tenant_id}/netsuite",
                     headers={"Authorization": f"Bearer {admin_token}"}, timeout=10).json()


def start(supervisor, manifest: dict) -> dict:
    emulator = manifest["netsuite_emulator_url"]
    created = httpx.post(f"{emulator}/_emulator/accounts", timeout=120,
                         json={"account_id": ACCOUNT, "seed": SEED, "concurrency_limit": 10})
    if created.status_code not in (200, 201):
        raise RuntimeError(f"the emulator refused the demo account: {created.text[:300]}")
    connect_through_oauth(manifest["connector_url"], manifest["admin_token"], TENANT, ACCOUNT)
    threading.Thread(target=_after_connect, args=(supervisor, manifest), daemon=True, name="demo").start()
    return {"tenant_id": TENANT, "netsuite_account_id": ACCOUNT}


def _after_connect(supervisor, manifest: dict) -> None:
    """Once the initial sync is done: set up accounts and start the platform's traffic."""
    deadline = time.monotonic() + 600
    while time.monotonic() < deadline and not supervisor.stopping:
        try:
            if _status(manifest["connector_url"], manifest["admin_token"], TENANT).get("status") == "connected":
                break
        except httpx.HTTPError:
            pass
        time.sleep(1)
    else:
        return
    choose_accounts(manifest["connector_url"], manifest["admin_token"], TENANT)
    bootstrap = manifest["kafka_bootstrap_servers"]
    platform = Child("platform-emulator", "platform_emulator",
                     ["run", "--bootstrap", bootstrap, "--tenant", TENANT, "--rate", "0.5", "--payout-interval", "60"],
                     {}, supervisor.state / "logs" / "platform-emulator.log")
    platform.start()
    supervisor.children.append(platform)


