"""payment-reconciler settings: environment variables prefixed ``PAYMENT_RECONCILER_``."""
from sb_runtime.settings import service_config
from sb_writeback.settings import WriteBackSettings


class Settings(WriteBackSettings):
    model_config = service_config("PAYMENT_RECONCILER_")

    database_pool_max: int = 20
    consumer_group: str = "payment-reconciler"
    # How long a payment for an unknown invoice waits for the invoice map to catch up.
    invoice_map_wait_s: float = 30.0
