"""One exception base for suitebridge code, split by what the transport edge should do."""


class SuitebridgeError(Exception):
    """Base class for errors raised by suitebridge code."""


class TransientError(SuitebridgeError):
    """Worth retrying later (network, NetSuite 429/5xx, a dependency not ready yet)."""


class PermanentError(SuitebridgeError):
    """Retrying cannot help (bad input, business rule violation): dead-letter it."""
