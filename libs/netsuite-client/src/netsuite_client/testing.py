"""Test helpers for code that uses this client against the NetSuite emulator.

``tenant_config_for_emulator`` turns the emulator's account credentials into a ``TenantConfig``
(path-based by default, host-based with ``host_based=True``); ``HostRoutingTransport`` lets a
host-based config (``http://<label>.suitetalk.api.netsuite.com``) reach an emulator on a
loopback port while keeping the ``Host`` header NetSuite clients send.
"""

from __future__ import annotations

from typing import Any

import httpx

from .config import OAuth2Credentials, TbaCredentials, TenantConfig

HOST_BASED_HTTP_REST = "http://{label}.suitetalk.api.netsuite.com"
HOST_BASED_HTTP_RESTLET = "http://{label}.restlets.api.netsuite.com"


def tba_credentials(account: dict[str, Any]) -> TbaCredentials:
    """TBA credentials from an emulator ``create_account`` answer."""
    tba = account["tba"]
    return TbaCredentials(
        consumer_key=tba["consumer_key"],
        consumer_secret=tba["consumer_secret"],
        token_id=tba["token_id"],
        token_secret=tba["token_secret"],
    )


def tenant_config_for_emulator(
    emulator_url: str,
    account: dict[str, Any],
    *,
    tenant_key: str | None = None,
    host_based: bool = False,
    credentials: TbaCredentials | OAuth2Credentials | None = None,
    **overrides: Any,
) -> TenantConfig:
    """A ``TenantConfig`` for an emulator account (TBA credentials unless given)."""
    if host_based:
        rest, restlet = HOST_BASED_HTTP_REST, HOST_BASED_HTTP_RESTLET
    else:
        rest = restlet = emulator_url.rstrip("/") + "/accounts/{account_id}"
    fields: dict[str, Any] = {
        "tenant_key": tenant_key or account["account_id"].lower(),
        "account_id": account["account_id"],
        "credentials": credentials or tba_credentials(account),
        "rest_base_template": rest,
        "restlet_base_template": restlet,
    }
    return TenantConfig(**{**fields, **overrides})


class HostRoutingTransport(httpx.AsyncBaseTransport):
    """Sends requests for ``*.netsuite.com`` to ``target_url``, keeping their Host header."""

    def __init__(self, target_url: str, inner: httpx.AsyncBaseTransport | None = None) -> None:
        self._target = httpx.URL(target_url)
        self._inner = inner or httpx.AsyncHTTPTransport()

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if request.url.host.endswith(".netsuite.com"):
            request.url = request.url.copy_with(
                scheme=self._target.scheme, host=self._target.host, port=self._target.port
            )
        return await self._inner.handle_async_request(request)

    async def aclose(self) -> None:
        await self._inner.aclose()


def emulator_http_client(emulator_url: str, **kwargs: Any) -> httpx.AsyncClient:
    """An ``httpx.AsyncClient`` that reaches the emulator for host-based NetSuite URLs too."""
    return httpx.AsyncClient(transport=HostRoutingTransport(emulator_url), **kwargs)


UNTOUCHED_INVOICES = (
    "SELECT id, entity, currency, foreigntotal, foreignamountunpaid FROM transaction "
    "WHERE type = 'CustInvc' AND voided = 'F' AND foreigntotal >= 10 AND foreignamountunpaid = foreigntotal "
    "{only} ORDER BY id"
)
ACTIVE_CUSTOMER = "SELECT id FROM customer WHERE isinactive = 'F' ORDER BY id"


async def untouched_invoices(user: Any, count: int, *, item_id: str = "11") -> list[dict[str, str]]:
    """``count`` open invoices with nothing applied to them (no payment, no credit, not voided).

    Chosen by what a test needs, never by position in a seed that moves with the calendar: the
    seed's when it has enough, otherwise new ones created as a NetSuite user would (``user`` is a
    ``NetSuiteClient`` with the account's TBA token)."""
    found = await user.suiteql.query_all(UNTOUCHED_INVOICES.format(only=""))
    while len(found) < count:
        customers = await user.suiteql.query_all(ACTIVE_CUSTOMER)
        if not customers:
            raise AssertionError("the account has no active customer to invoice")
        created = await user.records.create("invoice", {
            "entity": {"id": customers[0]["id"]},
            "item": {"items": [{"item": {"id": item_id}, "quantity": 1, "rate": 125}]}})
        found += await user.suiteql.query_all(UNTOUCHED_INVOICES.format(only=f"AND id = {int(created)}"))
    return found[:count]
