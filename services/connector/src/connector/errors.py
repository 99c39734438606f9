"""connector errors: one base class, split by what the transport edge does with them."""
from sb_runtime.errors import PermanentError, SuitebridgeError, TransientError


class ConnectorError(SuitebridgeError):
    """Base class for connector errors."""


class Transient(ConnectorError, TransientError):
    """Retry later."""


class Permanent(ConnectorError, PermanentError):
    """Dead-letter: retrying cannot help."""
