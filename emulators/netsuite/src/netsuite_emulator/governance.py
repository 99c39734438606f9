"""Concurrency governance and injected faults (latency, errors, ambiguous writes)."""

import asyncio
from contextlib import asynccontextmanager

from netsuite_emulator.accounts import Account
from netsuite_emulator.errors import NetSuiteError, invalid_login, unexpected_error
from netsuite_emulator.restlet import RestletError

CONCURRENCY_DETAIL = "Concurrent request limit exceeded. Request blocked."
# RESTlets over the limit answer 400 SSS_REQUEST_LIMIT_EXCEEDED in SuiteScript's error body, not 429.
RESTLET_LIMIT_DETAIL = "You have exceeded the maximum number of concurrent requests. Please try again later."


class DropConnection(Exception):
    """Raised after a committed write to make the server drop the connection without a response."""


@asynccontextmanager
async def slot(account: Account, restlet: bool = False):
    """Counts the request in flight; beyond the limit answers 429 (RESTlets: 400) at once (no queueing)."""
    if account.in_flight >= account.concurrency_limit:
        if restlet:
            raise RestletError(400, "SSS_REQUEST_LIMIT_EXCEEDED", RESTLET_LIMIT_DETAIL)
        raise NetSuiteError(429, "CONCURRENCY_LIMIT_EXCEEDED", CONCURRENCY_DETAIL)
    account.in_flight += 1
    account.stats.saw_in_flight(account.in_flight)
    try:
        yield
    finally:
        account.in_flight -= 1
        account.stats.in_flight_changed(account.in_flight)


async def delay(account: Account) -> None:
    jitter = account.faults.uniform(-1, 1) * account.latency_jitter_ms if account.latency_jitter_ms else 0
    milliseconds = max(0.0, account.latency_ms + jitter)
    if milliseconds:
        await asyncio.sleep(milliseconds / 1000)


def _refuse_login(account: Account) -> bool:
    if account.load_401_next > 0:
        account.load_401_next -= 1
        return True
    return bool(account.load_401_rate) and account.faults.random() < account.load_401_rate


def maybe_fail(account: Account, restlet: bool = False) -> None:
    if _refuse_login(account):
        if restlet:
            raise RestletError(401, "INVALID_LOGIN_ATTEMPT", "Invalid login attempt.")
        raise invalid_login('OAuth realm="NetSuite"')
    if account.error_rate and account.faults.random() < account.error_rate:
        if account.faults.random() < 0.5:
            raise unexpected_error()
        raise NetSuiteError(503, "SERVICE_UNAVAILABLE", "The service is temporarily unavailable. Try again later.")


def maybe_lose_response(account: Account) -> None:
    """Called after a write committed: the client may never learn that it did."""
    if not account.ambiguous_write_rate or account.faults.random() >= account.ambiguous_write_rate:
        return
    mode = account.ambiguous_write_mode
    if mode == "drop" or (mode == "mixed" and account.faults.random() < 0.5):
        raise DropConnection()
    raise unexpected_error()
