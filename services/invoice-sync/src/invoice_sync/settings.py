"""invoice-sync settings: environment variables prefixed ``INVOICE_SYNC_``."""
from sb_runtime.settings import ServiceSettings, service_config


class Settings(ServiceSettings):
    model_config = service_config("INVOICE_SYNC_")
