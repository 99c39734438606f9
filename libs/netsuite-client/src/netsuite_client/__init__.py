"""Async NetSuite client for suitebridge: REST records, SuiteQL, RESTlets, TBA and OAuth 2.0.

Typical use::

    config = TenantConfig(tenant_key="acme", account_id="1234567_SB1",
                          credentials=TbaCredentials(...))
    async with NetSuiteClient(config, http=shared_httpx_client, budget=budget) as client:
        async for row in client.suiteql.iterate(
            "SELECT id, tranid FROM transaction WHERE {after} ORDER BY id"
        ):
            ...
        payment_id = await client.records.create_once("customerpayment", "sb-pay-1", body)
"""

from .auth import OAuth2Auth, TbaAuth, tba_authorization
from .budget import ConcurrencyBudget, LocalBudget, UnlimitedBudget
from .client import NetSuiteClient, RetryPolicy
from .config import (
    OAuth2Credentials,
    TbaCredentials,
    TenantConfig,
    account_label,
    account_realm,
    authorize_endpoint,
    budget_limit,
    reserved_slots,
    token_endpoint,
)
from .errors import (
    AlreadyExistsError,
    AuthenticationError,
    NetSuiteError,
    NotFoundError,
    OAuthError,
    PermanentNetSuiteError,
    RateLimitedError,
    ReconnectRequired,
    TransientNetSuiteError,
)
from .oauth2 import (
    TokenSet,
    build_authorize_url,
    code_challenge,
    exchange_code,
    new_code_verifier,
    new_state,
    refresh_access_token,
)
from .pg_budget import PostgresBudget, PostgresBudgetStore, install_schema
from .records import RecordPage, Records, external_id_ref, record_id_from_location
from .suiteql import SuiteQL, SuiteQLPage

__all__ = [
    "budget_limit",
    "reserved_slots",
    "AlreadyExistsError", "AuthenticationError", "ConcurrencyBudget", "LocalBudget",
    "NetSuiteClient", "NetSuiteError", "NotFoundError", "OAuth2Auth", "OAuth2Credentials",
    "OAuthError", "PermanentNetSuiteError", "PostgresBudget", "PostgresBudgetStore",
    "RateLimitedError", "ReconnectRequired", "RecordPage", "Records", "RetryPolicy", "SuiteQL",
    "SuiteQLPage", "TbaAuth", "TbaCredentials", "TenantConfig", "TokenSet",
    "TransientNetSuiteError", "UnlimitedBudget", "account_label", "account_realm",
    "authorize_endpoint", "build_authorize_url", "code_challenge", "exchange_code",
    "external_id_ref", "install_schema", "new_code_verifier", "new_state",
    "record_id_from_location", "refresh_access_token", "tba_authorization", "token_endpoint",
]
