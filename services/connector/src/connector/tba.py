"""Connect with a token-based-authentication (TBA) token set instead of OAuth 2.0 (``PUT .../netsuite/tba``).

One real call verifies the set before anything is stored, so wrong credentials leave no trace.
Then it is stored encrypted like OAuth tokens, the prerequisites are checked as for OAuth, and the
same initial sync starts (``pending`` → ``connected``). TBA tokens do not expire. Secrets are never
logged, put in an error message or echoed back.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from netsuite_client import AuthenticationError, PermanentNetSuiteError, TbaCredentials, TransientNetSuiteError

from connector import connect, token_store
from connector.connections import seal_tba
from connector.deps import Deps
from connector.errors import ConnectorError, PrerequisiteMissing, Transient
from connector.netsuite import NetSuiteReader
from connector.settings import Settings

# NetSuite account ids: digits, optionally a sandbox/release suffix (1234567_SB1), or test-drive ids.
ACCOUNT_ID = re.compile(r"^[0-9A-Za-z]{1,32}(?:[_-][0-9A-Za-z]{1,16})?$")


class InvalidTba(ConnectorError):
    """The request cannot be a TBA token set (message safe to show)."""


class TbaRefused(ConnectorError):
    """NetSuite refused the token set (message carries NetSuite's reason, never the secrets)."""


@dataclass(frozen=True)
class TbaRequest:
    account_id: str
    token_id: str = field(repr=False)
    token_secret: str = field(repr=False)
    consumer_key: str | None = field(default=None, repr=False)
    consumer_secret: str | None = field(default=None, repr=False)
    confirm_switch: bool = False  # the partner confirmed replacing the tenant's NetSuite account


def valid_account_id(account_id: str) -> str:
    account_id = account_id.strip()
    if not ACCOUNT_ID.match(account_id):
        raise InvalidTba("account_id is not a NetSuite account id (e.g. 1234567 or 1234567_SB1).")
    return account_id


def credentials_of(settings: Settings, request: TbaRequest) -> TbaCredentials:
    """The partner's token with their consumer key/secret, else the integration's own."""
    consumer_key = (request.consumer_key or "").strip() or settings.tba_consumer_key
    consumer_secret = (request.consumer_secret or "").strip() or settings.tba_consumer_secret.get_secret_value()
    if not consumer_key or not consumer_secret:
        raise InvalidTba("consumer_key and consumer_secret are required: no integration default is configured.")
    if not request.token_id.strip() or not request.token_secret.strip():
        raise InvalidTba("token_id and token_secret are required.")
    return TbaCredentials(consumer_key, consumer_secret, request.token_id.strip(), request.token_secret.strip())


async def connect_with_tba(deps: Deps, tenant_id: str, request: TbaRequest) -> None:
    account_id = valid_account_id(request.account_id)
    credentials = credentials_of(deps.settings, request)
    await connect.refuse_switch(deps, tenant_id, account_id, request.confirm_switch)
    await _verify(deps, tenant_id, account_id, credentials)
    async with deps.pool.acquire() as connection, connection.transaction():
        await connect.connected_to(deps, connection, tenant_id, account_id, request.confirm_switch)
        await token_store.save_tba(connection, tenant_id, account_id, seal_tba(deps.cipher, credentials))
    outcome = await connect.prerequisites_or_error(deps, tenant_id, account_id)
    if not isinstance(outcome, PrerequisiteMissing):
        await connect.activate(deps, tenant_id, account_id, timezone=outcome)


async def _verify(deps: Deps, tenant_id: str, account_id: str, credentials: TbaCredentials) -> None:
    """One SuiteQL call signed with the set; only NetSuite's login refusal is final here."""
    settings = deps.settings
    client = deps.connections.tba_client(tenant_id, account_id, credentials)
    try:
        await NetSuiteReader(client, 1, settings.pdf_script, settings.pdf_deploy).probe()
    except AuthenticationError as error:
        raise TbaRefused(f"NetSuite account {account_id} refused the TBA credentials: {error.detail}") from None
    except TransientNetSuiteError as error:
        raise Transient(f"NetSuite account {account_id} did not answer: {error.detail}") from None
    except PermanentNetSuiteError:
        pass  # logged in, but something else is missing: the prerequisite check names it after storing
