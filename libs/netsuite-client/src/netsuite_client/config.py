"""Per-tenant NetSuite configuration: account, URL templates, credentials, limits."""

from __future__ import annotations

import math
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from urllib.parse import urlsplit

HOST_BASED_REST = "https://{label}.suitetalk.api.netsuite.com"
HOST_BASED_RESTLET = "https://{label}.restlets.api.netsuite.com"
HOST_BASED_APP = "https://{label}.app.netsuite.com"
ACCOUNTLESS_APP = "https://system.netsuite.com"

# Production accounts are digits; sandboxes and release previews add `_SB<n>` / `_RP<n>`;
# test-drive and developer accounts start with TSTDRV or TD. Nothing else may reach a host name.
ACCOUNT_ID = re.compile(r"^(?:\d{1,12}|TSTDRV\d{1,12}|TD\d{1,12})(?:_(?:SB|RP)\d{1,4})?$")
PLACEHOLDERS = ("{label}", "{account_id}", "{realm}")


class InvalidAccountId(ValueError):
    """A value that is not a NetSuite account id; it must never become part of a URL."""


def canonical_account_id(value: str) -> str:
    """The account id in NetSuite's own form (``1234567-sb1`` -> ``1234567_SB1``), validated."""
    candidate = value.strip().upper().replace("-", "_") if isinstance(value, str) else ""
    if not candidate.isascii() or not ACCOUNT_ID.match(candidate):
        raise InvalidAccountId("not a NetSuite account id")
    return candidate


def _origin_pattern(template: str) -> re.Pattern[str]:
    parts = urlsplit(template.replace("{", "<").replace("}", ">"))
    origin = re.escape(f"{parts.scheme}://{parts.netloc}".lower())
    for name, fill in (("label", "[a-z0-9-]+"), ("account_id", "[a-z0-9_]+"), ("realm", "[a-z0-9_]+")):
        origin = origin.replace(re.escape(f"<{name}>"), fill)
    return re.compile(origin)


def host_allowed(url: str, templates: tuple[str, ...]) -> bool:
    """Whether ``url`` is on a host one of the configured base-URL ``templates`` can produce."""
    parts = urlsplit(str(url))
    if parts.username is not None or parts.password is not None or not parts.hostname:
        return False
    origin = f"{parts.scheme}://{parts.netloc}".lower()
    return any(_origin_pattern(template).fullmatch(origin) for template in templates)


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
    if any(placeholder in template for placeholder in PLACEHOLDERS):
        account_id = canonical_account_id(account_id)
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
        url = explicit or token_endpoint(self.rest_base_template, self.account_id)
        if not self.allows(url):
            raise InvalidAccountId("the token endpoint is outside the configured NetSuite hosts")
        return url

    def allows(self, url: str) -> bool:
        """Whether credentials may be sent to ``url``: only hosts of the configured templates."""
        return host_allowed(url, (self.rest_base_template, self.restlet_base_template))

    @property
    def effective_budget_limit(self) -> int:
        if self.budget_limit is not None:
            return max(1, self.budget_limit)
        return budget_limit(self.account_concurrency_limit)
