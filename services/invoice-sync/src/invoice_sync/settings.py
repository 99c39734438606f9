"""invoice-sync settings: environment variables prefixed ``INVOICE_SYNC_``."""
from pydantic import Field

from sb_runtime.settings import ServiceSettings, service_config


class Settings(ServiceSettings):
    model_config = service_config("INVOICE_SYNC_")

    batch_max_records: int = Field(default=500, ge=1)  # per transaction
    batch_timeout_ms: int = Field(default=50, ge=1)  # how long a batch may wait to fill
    lanes: int = Field(default=2, ge=1, le=8)  # concurrent transactions per batch, split by partition
    consumer_group: str = "invoice-sync"
    page_size_max: int = Field(default=500, ge=1)
