"""The per-tenant NetSuite client: budgeted, freshly signed, retried HTTP requests."""

from __future__ import annotations

import asyncio
import random
from dataclasses import dataclass
from typing import Any

import httpx
import structlog

from . import body
from .auth import Authenticator, authenticator_for
from .budget import ConcurrencyBudget, LocalBudget
from .config import TenantConfig
from .errors import (
    NOT_SENT,
    AuthenticationError,
    NetSuiteError,
    PermanentNetSuiteError,
    RateLimitedError,
    TransientNetSuiteError,
    error_from_response,
    parse_body,
    transport_error,
)
from .records import Records
from .suiteql import SuiteQL

log = structlog.get_logger("netsuite_client")

# Methods NetSuite executes idempotently; POST and PATCH (sublist appends) are not.
IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "PUT", "DELETE"})


# NetSuite under heavy load answers "Invalid login attempt" to valid credentials.
LOAD_401_RETRIES = 3


@dataclass(frozen=True)
class RetryPolicy:
    """Exponential back-off with jitter: attempt n waits in [cap/2, cap], cap = base*2^(n-1)."""

    max_attempts: int = 8
    base_delay_s: float = 0.2
    max_delay_s: float = 10.0

    def delay(self, attempt: int) -> float:
        cap = min(self.max_delay_s, self.base_delay_s * 2 ** (attempt - 1))
        return random.uniform(cap / 2, cap)


class NetSuiteClient:
    """Talks to one tenant's NetSuite account.

    ``http`` is a shared ``httpx.AsyncClient`` (one is created and owned when omitted);
    ``budget`` limits concurrent requests (default: an in-process ``LocalBudget`` of
    ``config.effective_budget_limit``; pass a ``PostgresBudget`` to share it across processes).
    ``records`` and ``suiteql`` hold the record and query operations.
    """

    def __init__(
        self,
        config: TenantConfig,
        *,
        http: httpx.AsyncClient | None = None,
        budget: ConcurrencyBudget | None = None,
        retry: RetryPolicy | None = None,
        authenticator: Authenticator | None = None,
    ) -> None:
        self.config = config
        self._owns_http = http is None
        self.http = http or httpx.AsyncClient(timeout=config.timeout_s)
        self.budget = budget or LocalBudget(config.effective_budget_limit)
        self.retry = retry or RetryPolicy(max_attempts=config.max_attempts)
        self.auth = authenticator or authenticator_for(config, self.http)
        self.records = Records(self)
        self.suiteql = SuiteQL(self)

    async def __aenter__(self) -> NetSuiteClient:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        """Close the HTTP client if this client created it."""
        if self._owns_http:
            await self.http.aclose()

    def rest_url(self, path: str) -> str:
        """Absolute URL of a REST path such as ``/record/v1/invoice/1``."""
        return self.config.rest_url + path

    async def restlet_get(self, script: str, deploy: str, **params: str) -> Any:
        """Call a RESTlet's ``get`` entry point; returns its parsed JSON."""
        query = {"script": script, "deploy": deploy, **params}
        response = await self.request("GET", self.config.restlet_url, params=query)
        return parse_body(response.text)

    async def request(
        self,
        method: str,
        url: str,
        *,
        params: dict[str, Any] | None = None,
        json: Any = None,
        headers: dict[str, str] | None = None,
        idempotent: bool | None = None,
    ) -> httpx.Response:
        """Send one logical request and return its 2xx response, or raise a ``NetSuiteError``.

        Every attempt holds a budget slot and is signed afresh. 429s and requests that never
        left are always retried; other transient failures only when ``idempotent`` (default:
        by method), because a failed write may have committed. ``json`` is sent as JSON with
        ``decimal.Decimal`` values written as exact numbers.
        """
        method = method.upper()
        self._refuse_foreign_host(method, url)
        # The body is serialised here, once: money as exact JSON numbers (body.py). TBA does not sign
        # JSON bodies, so every attempt signs method and URL only.
        content = body.dumps(json) if json is not None else None
        content_headers = {"Content-Type": body.CONTENT_TYPE} if content is not None else {}
        repeatable = method in IDEMPOTENT_METHODS if idempotent is None else idempotent
        reauthenticated = False
        attempt = refused_logins = 0
        while True:
            attempt += 1
            request = self.http.build_request(
                method, url, params=params, content=content, timeout=self.config.timeout_s,
                headers={"Accept": "application/json", **content_headers, **(headers or {})},
            )
            outcome, authorization = await self._attempt(request)
            if isinstance(outcome, httpx.Response):
                return outcome
            if isinstance(outcome, AuthenticationError) and not reauthenticated:
                reauthenticated = await self.auth.recover_from_401(authorization)
                if reauthenticated:
                    continue
            if isinstance(outcome, AuthenticationError) and refused_logins < LOAD_401_RETRIES:
                # NetSuite under heavy load answers "Invalid login attempt" to valid credentials:
                # a few re-signed tries tell that apart from a real authentication failure.
                refused_logins += 1
                await self._back_off(outcome, refused_logins)
                continue
            if not self._should_retry(outcome, repeatable, attempt):
                raise outcome
            await self._back_off(outcome, attempt)

    def _refuse_foreign_host(self, method: str, url: str) -> None:
        if not self.config.allows(url):
            raise PermanentNetSuiteError("refused: the URL is outside the configured NetSuite hosts",
                                         code="host_not_allowed", method=method, path=httpx.URL(url).path)

    async def _attempt(self, request: httpx.Request) -> tuple[httpx.Response | NetSuiteError, str]:
        """One signed try while holding a budget slot."""
        async with self.budget.slot():
            authorization = await self.auth.authorization(request.method, request.url)
            request.headers["Authorization"] = authorization
            return await self._send(request), authorization

    async def _back_off(self, error: NetSuiteError, attempt: int) -> None:
        delay = self.retry.delay(attempt)
        log.warning(
            "netsuite.retry", tenant=self.config.tenant_key, method=error.method, path=error.path,
            status=error.status, code=error.code, attempt=attempt, delay_s=round(delay, 3),
        )
        await asyncio.sleep(delay)

    async def _send(self, request: httpx.Request) -> httpx.Response | NetSuiteError:
        path = request.url.path
        try:
            response = await self.http.send(request)
        except httpx.TransportError as exc:
            if isinstance(exc, httpx.TimeoutException):
                self.budget.on_throttled()
            return transport_error(exc, method=request.method, path=path)
        if response.is_success:
            self.budget.on_success()
            return response
        if response.status_code == 429 or response.status_code >= 500:
            self.budget.on_throttled()
        return error_from_response(
            response.status_code, parse_body(response.text), method=request.method, path=path
        )

    def _should_retry(self, error: NetSuiteError, repeatable: bool, attempt: int) -> bool:
        if attempt >= self.retry.max_attempts:
            return False
        if isinstance(error, RateLimitedError) or error.code == NOT_SENT:
            return True
        return isinstance(error, TransientNetSuiteError) and repeatable
