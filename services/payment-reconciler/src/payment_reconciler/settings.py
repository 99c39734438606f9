"""payment-reconciler settings: environment variables prefixed ``PAYMENT_RECONCILER_``."""
from sb_runtime.settings import ServiceSettings, service_config


class Settings(ServiceSettings):
    model_config = service_config("PAYMENT_RECONCILER_")
