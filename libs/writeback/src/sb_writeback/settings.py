"""Settings both write-back services have (each subclasses with its own ``env_prefix``)."""
from __future__ import annotations

from pydantic import Field, SecretStr

from sb_runtime.settings import ServiceSettings


class WriteBackSettings(ServiceSettings):
    consumer_group: str = ""  # default: the service name
    topic_suffix: str = ""  # appended to every topic name (isolated test runs)
    # The connector's internal listener: serves NetSuite credentials (decision 0004) to the
    # internal service token, never to the admin token.
    connector_url: str = "http://127.0.0.1:8001"
    connector_token: SecretStr = SecretStr("")
    # NetSuite: the account's limit and the tenant's budget across all processes (default limit - 1).
    netsuite_account_concurrency_limit: int = Field(default=5, ge=1)
    netsuite_budget_limit: int | None = None
    netsuite_budget_schema: str = "netsuite_client"
    netsuite_timeout_s: float = 30.0
    # A crashed process's budget slots free themselves after this long (must exceed the timeout).
    netsuite_budget_lease_s: float = 60.0
    # Background loop: resumes waiting work when its blocker may be gone, and work a crash left pending.
    resume_interval_s: float = 1.0
    stale_pending_s: float = 30.0
    # Tenant lanes (sb_writeback.lanes): NetSuite writes in flight per tenant, and the back-off of a
    # tenant whose NetSuite (or connection) keeps failing: base * 2^(failures-1), capped.
    lane_concurrency: int = Field(default=4, ge=1)
    lane_base_backoff_s: float = 0.5
    lane_max_backoff_s: float = 30.0
