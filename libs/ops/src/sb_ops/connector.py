"""The connector's HTTP API as the tool uses it (admin token): tenants, their status, resync."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import httpx

TENANTS = "/internal/tenants"
RESYNC = "/internal/tenants/{tenant_id}/netsuite/resync"
STATUS = "/v1/tenants/{tenant_id}/netsuite"


class EndpointMissing(Exception):
    """The connector does not serve an endpoint the tool needs (an older or unfinished connector)."""


class ConnectorError(Exception):
    pass


@dataclass(frozen=True)
class TenantStatus:
    tenant_id: str
    status: str
    account_id: str | None
    last_sync_at: str | None
    last_error: str | None
    action_items: tuple[dict, ...]


class Connector:
    def __init__(self, base_url: str, admin_token: str, timeout_s: float = 30.0):
        self._http = httpx.AsyncClient(base_url=base_url.rstrip("/"), timeout=timeout_s,
                                       headers={"Authorization": f"Bearer {admin_token}"})

    async def __aenter__(self) -> Connector:
        return self

    async def __aexit__(self, *exc) -> None:
        await self._http.aclose()

    async def tenant_ids(self) -> list[str]:
        body = _body(await self._http.get(TENANTS), f"GET {TENANTS}")
        return [item["tenant_id"] for item in body.get("items", [])]

    async def status(self, tenant_id: str) -> TenantStatus:
        body = _body(await self._http.get(STATUS.format(tenant_id=tenant_id)), f"GET {STATUS}")
        return TenantStatus(body["tenant_id"], body["status"], body.get("account_id"), body.get("last_sync_at"),
                            body.get("last_error"), tuple(body.get("action_items") or ()))

    async def resync(self, tenant_id: str, since: date | None) -> dict:
        path = RESYNC.format(tenant_id=tenant_id)
        payload = {"since": since.isoformat()} if since else {}
        return _body(await self._http.post(path, json=payload), f"POST {RESYNC}")


def _body(response: httpx.Response, endpoint: str) -> dict:
    if response.status_code == 404 and _route_missing(response):
        raise EndpointMissing(f"the connector does not serve {endpoint}")
    if response.status_code >= 400:
        raise ConnectorError(f"{endpoint} answered {response.status_code}: {_message(response)}")
    return response.json()


def _route_missing(response: httpx.Response) -> bool:
    """FastAPI's own 404 (no such route) versus the API's 404 for an unknown tenant."""
    try:
        error = response.json().get("error") or {}
    except ValueError:
        return True
    return error.get("code") in (None, "http_error") and error.get("message", "Not Found") == "Not Found"


def _message(response: httpx.Response) -> str:
    try:
        return response.json()["error"]["message"]
    except (ValueError, KeyError, TypeError):
        return response.text[:200]
