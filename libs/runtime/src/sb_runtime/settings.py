"""Settings shared by every service; each service subclasses with its own ``env_prefix``."""
from __future__ import annotations

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict


class ServiceSettings(BaseSettings):
    """Base settings. Subclasses set ``model_config = service_config("CONNECTOR_")``."""

    model_config = SettingsConfigDict(env_nested_delimiter="__", extra="ignore")

    database_url: SecretStr = SecretStr("postgresql://postgres@127.0.0.1:5432/suitebridge")
    database_pool_min: int = 1
    database_pool_max: int = 10
    kafka_bootstrap_servers: str = "127.0.0.1:9092"
    topic_partitions: int = Field(default=6, ge=1)
    http_host: str = "127.0.0.1"
    http_port: int = 0
    log_level: str = "info"
    log_json: bool | None = None  # None: JSON unless stdout is a terminal
    admin_token: SecretStr = SecretStr("")
    # Comma separated: the first signs; `<old key>@<ISO instant>` entries verify until then.
    token_signing_key: SecretStr = SecretStr("")
    token_revocation_schema: str = "sb_tokens"
    relay_poll_interval_s: float = 0.2
    # Batch consumers: records applied together at most, and how long a batch may wait to fill.
    batch_max_records: int = Field(default=500, ge=1)
    batch_timeout_ms: int = Field(default=50, ge=1)
    # A consumer's first group join waits about half the session timeout on the embedded broker
    # (Tansu); real Kafka refuses less than its group.min.session.timeout.ms (6 s by default).
    kafka_session_timeout_ms: int = Field(default=10_000, ge=1_000)
    kafka_heartbeat_interval_ms: int = Field(default=3_000, ge=100)

    def consumer_options(self) -> dict:
        return {"session_timeout_ms": self.kafka_session_timeout_ms,
                "heartbeat_interval_ms": min(self.kafka_heartbeat_interval_ms, self.kafka_session_timeout_ms // 3)}


def service_config(prefix: str) -> SettingsConfigDict:
    """The settings config every service uses: one prefix, ``__`` for nested values."""
    return SettingsConfigDict(env_prefix=prefix, env_nested_delimiter="__", extra="ignore")
