"""deposit-writer settings: environment variables prefixed ``DEPOSIT_WRITER_``."""
from sb_runtime.settings import ServiceSettings, service_config


class Settings(ServiceSettings):
    model_config = service_config("DEPOSIT_WRITER_")
