"""invoice-sync errors: one base class, split by what the transport edge does with them."""
from sb_runtime.errors import PermanentError, SuitebridgeError, TransientError


class InvoiceSyncError(SuitebridgeError):
    """Base class for invoice-sync errors."""


class Transient(InvoiceSyncError, TransientError):
    """Retry later."""


class Permanent(InvoiceSyncError, PermanentError):
    """Dead-letter: retrying cannot help."""
