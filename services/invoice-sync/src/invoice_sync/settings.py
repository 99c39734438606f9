"""invoice-sync settings: environment variables prefixed ``INVOICE_SYNC_``."""
from pydantic import Field, SecretStr

from sb_runtime.settings import ServiceSettings, service_config


class Settings(ServiceSettings):
    model_config = service_config("INVOICE_SYNC_")

    lanes: int = Field(default=2, ge=1, le=8)  # concurrent transactions per batch, split by partition
    consumer_group: str = "invoice-sync"
    page_size_max: int = Field(default=500, ge=1)
    # The connector's internal listener and token: invoice PDFs are fetched there (decision 0007).
    connector_url: str = ""
    connector_token: SecretStr = SecretStr("")
    connector_timeout_s: float = Field(default=30.0, gt=0)
