"""Issue 13: NetSuite access tokens are never served on the public port, the admin token is an
operator credential only, and write-back's credentials come from an internal listener with its
own service credential that the deployment manifests do not expose."""
from __future__ import annotations

from pathlib import Path

import httpx
import yaml

from connector.testing import admin_headers, connect_through_form, internal_headers, running_connector

SEED = {"customers": 1, "invoices": 2, "months": 2, "random_seed": 4}
DEPLOY = Path(__file__).resolve().parents[2] / "deploy"


async def test_netsuite_access_tokens_are_never_served_on_the_public_port(ns, make_settings, callback_port, unique):
    account = ns.create_account(seed=SEED)
    tenant = f"t-{unique}"
    path = f"/internal/tenants/{tenant}/netsuite/credentials"
    async with running_connector(make_settings(), callback_port) as (url, app), \
            httpx.AsyncClient(timeout=30) as http:
        await connect_through_form(url, tenant, account["account_id"])
        public = await http.get(url + path, headers=admin_headers())
        operator = await http.get(app.state.internal_url + path, headers=admin_headers())
        service = await http.get(app.state.internal_url + path, headers=internal_headers())
    assert public.status_code == 404 and "access_token" not in public.text
    assert operator.status_code == 401, "the admin token is an operator credential, not a service one"
    assert service.status_code == 200 and service.json()["access_token"]


def _documents(path: Path) -> list[dict]:
    return [doc for doc in yaml.safe_load_all(path.read_text()) if doc]


def test_the_manifests_keep_the_internal_listener_off_the_public_services():
    connector = _documents(DEPLOY / "k8s" / "connector.yaml")
    services = {doc["metadata"]["name"]: doc for doc in connector if doc["kind"] == "Service"}
    assert [port["targetPort"] for port in services["connector"]["spec"]["ports"]] == ["http"]
    internal = services["connector-internal"]
    assert internal["spec"]["type"] == "ClusterIP"
    assert [port["targetPort"] for port in internal["spec"]["ports"]] == ["internal"]
    config = {doc["metadata"]["name"]: doc["data"] for doc in _documents(DEPLOY / "k8s" / "config.yaml")}
    for name, prefix in (("payment-reconciler", "PAYMENT_RECONCILER_"), ("deposit-writer", "DEPOSIT_WRITER_"),
                         ("invoice-sync", "INVOICE_SYNC_")):  # invoice-sync: PDFs by reference (decision 0007)
        assert config[f"{name}-config"][f"{prefix}CONNECTOR_URL"].startswith("http://connector-internal:")
        deployment = _documents(DEPLOY / "k8s" / f"{name}.yaml")[0]
        env = {item["name"] for item in deployment["spec"]["template"]["spec"]["containers"][0]["env"]}
        assert f"{prefix}CONNECTOR_TOKEN" in env
    compose = yaml.safe_load((DEPLOY / "compose.yaml").read_text())["services"]
    internal_port = compose["connector"]["environment"]["CONNECTOR_INTERNAL_HTTP_PORT"]
    assert all(internal_port not in str(published) for published in compose["connector"].get("ports", []))
    for name in ("payment-reconciler", "deposit-writer", "invoice-sync"):
        prefix = name.upper().replace("-", "_")
        assert compose[name]["environment"][f"{prefix}_CONNECTOR_URL"] == f"http://connector:{internal_port}"
