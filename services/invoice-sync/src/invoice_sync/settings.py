"""invoice-sync settings: environment variables prefixed ``INVOICE_SYNC_``."""
from pydantic import Field

from sb_runtime.settings import ServiceSettings, service_config


class Settings(ServiceSettings):
    model_config = service_config("INVOICE_SYNC_")

    lanes: int = Field(default=2, ge=1, le=8)  # concurrent transactions per batch, split by partition
    consumer_group: str = "invoice-sync"
    page_size_max: int = Field(default=500, ge=1)
