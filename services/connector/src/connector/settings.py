"""connector settings: environment variables prefixed ``CONNECTOR_``."""
from __future__ import annotations

from typing import Literal

from pydantic import Field, SecretStr

from sb_runtime.settings import ServiceSettings, service_config

# Real NetSuite is host-based; tests and `make run` use the emulator's path-based form,
# e.g. CONNECTOR_NETSUITE_REST_BASE_TEMPLATE=http://127.0.0.1:8080/accounts/{account_id}.
HOST_BASED_REST = "https://{label}.suitetalk.api.netsuite.com"
HOST_BASED_RESTLET = "https://{label}.restlets.api.netsuite.com"
HOST_BASED_APP = "https://{label}.app.netsuite.com"
ACCOUNTLESS_AUTHORIZE = "https://system.netsuite.com/app/login/oauth2/authorize.nl"


class Settings(ServiceSettings):
    model_config = service_config("CONNECTOR_")

    database_schema: str = "connector"

    # NetSuite endpoints ({label}, {account_id} and {realm} are filled per account).
    netsuite_rest_base_template: str = HOST_BASED_REST
    netsuite_restlet_base_template: str = HOST_BASED_RESTLET
    netsuite_app_base_template: str = HOST_BASED_APP
    netsuite_accountless_authorize_url: str = ACCOUNTLESS_AUTHORIZE
    netsuite_timeout_s: float = 30.0
    netsuite_account_concurrency_limit: int = Field(default=5, ge=1)
    # Left to the partner's other integrations: this many slots of the account's limit or this
    # fraction of it (rounded up), whichever is more; suitebridge's services share the rest.
    netsuite_budget_reserve_slots: int = Field(default=1, ge=0)
    netsuite_budget_reserve_fraction: float = Field(default=0.2, ge=0, lt=1)
    # The share of that budget the connector may fill. It yields to write-back's waiting requests
    # (they get the next slot released), so by default it may use all of it while write-back is idle.
    netsuite_budget_share: float = Field(default=1.0, gt=0, le=1)
    netsuite_budget_schema: str = "netsuite_client"
    pdf_script: str = "customscript_sb_invoice_pdf"
    pdf_deploy: str = "customdeploy_sb_invoice_pdf"
    default_timezone: str = "America/Los_Angeles"  # NetSuite's default; checked against the account

    # invoice-sync's read API, for the dashboard's invoice list and PDF links.
    invoice_sync_url: str = ""
    # payment-reconciler's and deposit-writer's read API, for the dashboard's payments, payouts and health.
    payment_reconciler_url: str = ""
    deposit_writer_url: str = ""

    # OAuth 2.0 integration record.
    oauth_client_id: str = ""
    oauth_client_secret: SecretStr = SecretStr("")
    oauth_redirect_uri: str = "http://127.0.0.1:8000/v1/oauth/netsuite/callback"
    oauth_state_ttl_s: int = Field(default=600, ge=30)
    access_token_refresh_margin_s: int = Field(default=300, ge=0)
    # NetSuite's refresh token lives 7 days from consent and is not rotated by a refresh
    # (docs/decisions/connector-connections-that-last.md); the partner is warned before it ends.
    refresh_token_lifetime_s: int = Field(default=604800, ge=60)
    reconnect_warning_s: int = Field(default=172800, ge=0)
    credentials_check_interval_s: float = Field(default=60.0, gt=0)

    # Token-based authentication: the integration record's consumer key/secret, used when a
    # partner's PUT .../netsuite/tba names only the token.
    tba_consumer_key: str = ""
    tba_consumer_secret: SecretStr = SecretStr("")

    # The internal listener (service-to-service: write-back's credentials requests); never
    # exposed through an ingress. Port 0 with a token set: a free port (tests, `make run`).
    internal_http_host: str = "127.0.0.1"
    internal_http_port: int = 0
    internal_token: SecretStr = SecretStr("")

    # Lifetime of a minted tenant token (revocable one by one before that).
    token_ttl_s: int = Field(default=90 * 24 * 3600, ge=60)

    # How long a dashboard sign-in lasts (the session cookie's Max-Age).
    dashboard_session_s: int = Field(default=8 * 3600, ge=60)

    # Comma-separated Fernet keys: the first encrypts, all decrypt (rotation).
    token_encryption_keys: SecretStr = SecretStr("")

    # Scheduling. Defaults meet architecture §1: payments/deposits <= 30 s, the rest <= 60 s.
    scheduler_tick_s: float = Field(default=0.5, gt=0)
    poll_interval_s: float = Field(default=10.0, gt=0)
    customers_poll_interval_s: float = Field(default=15.0, gt=0)
    lease_ttl_s: float = Field(default=60.0, gt=1)
    max_concurrent_tenants: int = Field(default=8, ge=1)
    error_backoff_max_s: float = Field(default=300.0, gt=0)

    # Sync shape.
    page_size: int = Field(default=1000, ge=1, le=1000)
    overlap_s: int = Field(default=120, ge=0)  # re-read window for late-committed changes
    recent_months: int = Field(default=12, ge=1)
    # Initial-sync work per lease before re-queueing (other tenants get their turn); each slice
    # ends by draining the requests in flight, so a short one wastes budget.
    initial_sync_slice_s: float = Field(default=30.0, gt=0)
    pdf_initial_scope: Literal["recent", "all", "none"] = "recent"
    pdf_batch: int = Field(default=20, ge=1)
    pdf_max_backoff_s: float = Field(default=3600.0, gt=0)
    # Drift repair (drift.py): a sweep of the open invoices this often, this many pages per poll.
    drift_sweep_interval_s: float = Field(default=3600.0, gt=0)
    drift_pages_per_poll: int = Field(default=5, ge=0)  # 0: no sweep
