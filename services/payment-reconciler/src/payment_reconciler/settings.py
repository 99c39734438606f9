"""payment-reconciler settings: environment variables prefixed ``PAYMENT_RECONCILER_``."""
from sb_runtime.settings import service_config
from sb_writeback.settings import WriteBackSettings


class Settings(WriteBackSettings):
    model_config = service_config("PAYMENT_RECONCILER_")

    database_pool_max: int = 20
    consumer_group: str = "payment-reconciler"
    # A payment for an invoice suitebridge has not received (and not proven platform-created) waits
    # for it; after this long it is also an action item (decision writeback-r14-only-on-proof).
    invoice_unknown_after_s: float = 300.0
