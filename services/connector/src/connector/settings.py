"""connector settings: environment variables prefixed ``CONNECTOR_``."""
from sb_runtime.settings import ServiceSettings, service_config


class Settings(ServiceSettings):
    model_config = service_config("CONNECTOR_")
