"""Settings shared by every service; each service subclasses with its own ``env_prefix``."""
from __future__ import annotations

from pydantic import Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


HEADROOM_BYTES = 1_024  # a record batch's own bytes around one event (headers are counted in the bound)


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
    # Topics are created with this max.message.bytes (Kafka's default broker limit is 1 MiB + 12);
    # the outbox sets aside any event above outbox_max_event_bytes, a bound kept below it.
    kafka_max_message_bytes: int = Field(default=1_048_576, ge=65_536)
    outbox_max_event_bytes: int = Field(default=1_000_000, ge=1_024)
    # Housekeeping: published outbox rows and inbox rows are pruned after these ages. The inbox
    # must outlive every record a consumer could still be handed again: keep it above the topics'
    # retention.ms + segment.ms (Kafka deletes whole segments; 7 d + 7 d by default).
    outbox_retention_s: float = Field(default=7 * 86_400, gt=0)
    inbox_retention_s: float = Field(default=14 * 86_400, gt=0)
    housekeeping_interval_s: float = Field(default=3_600, gt=0)
    # Batch consumers: records applied together at most, and how long a batch may wait to fill.
    batch_max_records: int = Field(default=500, ge=1)
    batch_timeout_ms: int = Field(default=50, ge=1)
    # A consumer's first group join waits about half the session timeout on the embedded broker
    # (Tansu); real Kafka refuses less than its group.min.session.timeout.ms (6 s by default).
    kafka_session_timeout_ms: int = Field(default=10_000, ge=1_000)
    kafka_heartbeat_interval_ms: int = Field(default=3_000, ge=100)

    @model_validator(mode="after")
    def _bound_below_the_broker_limit(self):
        if self.outbox_max_event_bytes > self.kafka_max_message_bytes - HEADROOM_BYTES:
            raise ValueError(f"outbox_max_event_bytes must stay {HEADROOM_BYTES} bytes below kafka_max_message_bytes")
        return self

    def consumer_options(self) -> dict:
        return {"session_timeout_ms": self.kafka_session_timeout_ms,
                "heartbeat_interval_ms": min(self.kafka_heartbeat_interval_ms, self.kafka_session_timeout_ms // 3)}


def service_config(prefix: str) -> SettingsConfigDict:
    """The settings config every service uses: one prefix, ``__`` for nested values."""
    return SettingsConfigDict(env_prefix=prefix, env_nested_delimiter="__", extra="ignore")
