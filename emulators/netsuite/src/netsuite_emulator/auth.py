"""Authenticates NetSuite-facing requests with TBA (OAuth 1.0a) or an OAuth 2.0 Bearer token."""

import logging
from urllib.parse import parse_qsl

from starlette.requests import Request

from netsuite_emulator import tba
from netsuite_emulator.accounts import Account
from netsuite_emulator.errors import invalid_login
from netsuite_emulator.oauth2 import OAuth2Service

log = logging.getLogger("netsuite_emulator.auth")


def _tba_challenge(account: Account) -> str:
    return f'OAuth realm="{account.account_id}", error="token_rejected", error_description="Invalid login attempt."'


def _bearer_challenge(account: Account) -> str:
    return f'Bearer realm="{account.account_id}", error="invalid_token", error_description="Invalid login attempt."'


async def _form_params(request: Request) -> list[tuple[str, str]]:
    if not request.headers.get("content-type", "").startswith("application/x-www-form-urlencoded"):
        return []
    return parse_qsl((await request.body()).decode("utf-8", "replace"), keep_blank_values=True)


async def authenticate(request: Request, account: Account, oauth2: OAuth2Service, scope: str,
                       tolerance_s: int) -> str:
    """Returns the method used ("tba" or "oauth2"); raises a 401 NetSuiteError otherwise."""
    header = request.headers.get("authorization", "")
    if header[:7].lower() == "bearer ":
        # The emulator's `token_auth` switch stands for the account's token-based authentication
        # features as a whole (TBA and OAuth 2.0): off, every token is refused.
        if not account.features["token_auth"] or not oauth2.bearer_valid(header[7:].strip(), account, scope):
            log.info("login.rejected account=%s reason=InvalidToken method=oauth2", account.account_id)
            raise invalid_login(_bearer_challenge(account))
        return "oauth2"
    if header[:6].lower() != "oauth " or not account.features["token_auth"]:
        raise invalid_login(_tba_challenge(account))
    try:
        tba.verify(account, request, tba.parse_header(header), await _form_params(request), tolerance_s)
    except tba.TbaRejected as rejected:
        log.info("login.rejected account=%s reason=%s method=tba", account.account_id, rejected)
        raise invalid_login(_tba_challenge(account)) from rejected
    return "tba"
