"""connector errors: one base class, split by what the transport edge does with them (sb_runtime.errors).
``NotConnected`` is the runtime's one."""
from sb_runtime.errors import AuthenticationError, NotConnected, PermanentError, SuitebridgeError, TransientError

__all__ = ["ConnectorError", "LeaseLost", "MappingError", "NotConfigured", "NotConnected", "Permanent",
           "PrerequisiteMissing", "QueryRefused", "ReconnectNeeded", "Transient"]


class ConnectorError(SuitebridgeError):
    """Base class for connector errors."""


class Transient(ConnectorError, TransientError):
    """Retry later."""


class Permanent(ConnectorError, PermanentError):
    """Dead-letter: retrying cannot help."""


class NotConfigured(Permanent):
    """A setting the operation needs is missing."""


class LeaseLost(Transient):
    """Another instance owns the tenant now: stop without committing anything."""


class ReconnectNeeded(ConnectorError, AuthenticationError):
    """The refresh token expired or was revoked: the partner must connect NetSuite again."""


class PrerequisiteMissing(Permanent):
    """A NetSuite feature or the bundle the connector needs is missing (message in plain words)."""


class MappingError(ConnectorError):
    """A NetSuite record cannot be turned into a contract event (a per-record sync error)."""


class QueryRefused(ConnectorError):
    """NetSuite refused one of the connector's queries (a column or record it does not expose)."""

    def __init__(self, query: str, detail: str):
        super().__init__(f"NetSuite refused the query [{query}]: {detail}")
        self.query = query
        self.detail = str(self)
