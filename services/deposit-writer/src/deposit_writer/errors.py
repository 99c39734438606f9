"""deposit-writer errors: one base class, split by what the transport edge does with them."""
from sb_runtime.errors import PermanentError, SuitebridgeError, TransientError


class DepositWriterError(SuitebridgeError):
    """Base class for deposit-writer errors."""


class Transient(DepositWriterError, TransientError):
    """Retry later."""


class Permanent(DepositWriterError, PermanentError):
    """Dead-letter: retrying cannot help."""
