"""Per-tenant NetSuite configuration: account, URL templates, credentials, limits."""

from __future__ import annotations

import math
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

HOST_BASED_REST = "https://{label}.suitetalk.api.netsuite.com"
HOST_BASED_RESTLET = "https://{label}.restlets.api.netsuite.com"
HOST_BASED_APP = "https://{label}.app.netsuite.com"
ACCOUNTLESS_APP = "https://system.netsuite.com"


def account_label(account_id: str) -> str:
    """Hostname label of an account: ``1234567_SB1`` -> ``1234567-sb1``."""
    return account_id.strip().lower().replace("_", "-")


def account_realm(account_id: str) -> str:
    """OAuth realm of an account: ``1234567-sb1`` -> ``1234567_SB1``."""
    return account_id.strip().upper().replace("-", "_")


def site_url(template: str, account_id: str) -> str:
    """Fill a base-URL template; placeholders ``{label}``, ``{account_id}``, ``{realm}``.

    Host-based: ``https://{label}.suitetalk.api.netsuite.com``; path-based (emulator):
    ``http://127.0.0.1:8080/accounts/{account_id}``. No trailing slash in the result.
    """
    filled = template.format(
        label=account_label(account_id), account_id=account_id, realm=account_realm(account_id)
    )
    return filled.rstrip("/")


def token_endpoint(rest_template: str, account_id: str) -> str:
    """The OAuth 2.0 token endpoint of an account."""
    return site_url(rest_template, account_id) + "/services/rest/auth/oauth2/v1/token"


def authorize_endpoint(app_template: str = ACCOUNTLESS_APP, account_id: str = "") -> str:
    """The OAuth 2.0 authorize page; account-less (``system.netsuite.com``) by default."""
    return site_url(app_template, account_id) + "/app/login/oauth2/authorize.nl"


@dataclass(frozen=True)
class TbaCredentials:
    """Token-based authentication (OAuth 1.0a, HMAC-SHA256) credentials."""

    consumer_key: str = field(repr=False)
    consumer_secret: str = field(repr=False)
    token_id: str = field(repr=False)
    token_secret: str = field(repr=False)


@dataclass(frozen=True)
class OAuth2Credentials:
    """OAuth 2.0 tokens of a connected account plus the integration's client credentials.

    ``expires_at`` is the access token's expiry in Unix seconds. ``token_url`` defaults to
    the account's token endpoint derived from the tenant's REST base-URL template.
    """

    access_token: str = field(repr=False)
    refresh_token: str | None = field(repr=False)
    expires_at: float
    client_id: str
    client_secret: str = field(repr=False)
    token_url: str | None = None


Credentials = TbaCredentials | OAuth2Credentials

# Called with (tenant_key, new credentials) after every successful refresh, so the owner
# can persist the new access token before it is used.
OnTokenRefresh = Callable[[str, OAuth2Credentials], Awaitable[None]]


def reserved_slots(account_limit: int, slots: int = 1, fraction: float = 0.2) -> int:
    """What suitebridge leaves of an account's limit to the partner's other integrations:
    ``slots`` or ``fraction`` of the limit (rounded up), whichever is more."""
    return max(slots, math.ceil(account_limit * fraction - 1e-9))


def budget_limit(account_limit: int, slots: int = 1, fraction: float = 0.2) -> int:
    """The slots all suitebridge processes together may use for one account (at least one)."""
    return max(1, account_limit - reserved_slots(account_limit, slots, fraction))


@dataclass(frozen=True)
class TenantConfig:
    """Everything the client needs to talk to one tenant's NetSuite account.

    ``account_concurrency_limit`` is the account's NetSuite limit; ``budget_limit`` is how many
    concurrent requests all suitebridge processes together may have in flight for this tenant
    (default: the account limit less ``reserved_slots`` for the partner's other integrations,
    never below one).
    """

    tenant_key: str
    account_id: str
    credentials: Credentials
    rest_base_template: str = HOST_BASED_REST
    restlet_base_template: str = HOST_BASED_RESTLET
    account_concurrency_limit: int = 5
    budget_limit: int | None = None
    timeout_s: float = 30.0
    max_attempts: int = 8
    on_token_refresh: OnTokenRefresh | None = field(default=None, repr=False)

    @property
    def label(self) -> str:
        return account_label(self.account_id)

    @property
    def realm(self) -> str:
        return account_realm(self.account_id)

    @property
    def rest_url(self) -> str:
        """Base of the REST services, ending in ``/services/rest``."""
        return site_url(self.rest_base_template, self.account_id) + "/services/rest"

    @property
    def restlet_url(self) -> str:
        """The RESTlet endpoint (``.../app/site/hosting/restlet.nl``)."""
        return site_url(self.restlet_base_template, self.account_id) + "/app/site/hosting/restlet.nl"

    @property
    def token_url(self) -> str:
        explicit = getattr(self.credentials, "token_url", None)
        return explicit or token_endpoint(self.rest_base_template, self.account_id)

    @property
    def effective_budget_limit(self) -> int:
        if self.budget_limit is not None:
            return max(1, self.budget_limit)
        return budget_limit(self.account_concurrency_limit)
