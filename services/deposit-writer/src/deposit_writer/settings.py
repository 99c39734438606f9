"""deposit-writer settings: environment variables prefixed ``DEPOSIT_WRITER_``."""
from sb_runtime.settings import service_config
from sb_writeback.settings import WriteBackSettings


class Settings(WriteBackSettings):
    model_config = service_config("DEPOSIT_WRITER_")

    consumer_group: str = "deposit-writer"
