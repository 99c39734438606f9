"""payment-reconciler errors: one base class, split by what the transport edge does with them."""
from sb_runtime.errors import PermanentError, SuitebridgeError, TransientError


class PaymentReconcilerError(SuitebridgeError):
    """Base class for payment-reconciler errors."""


class Transient(PaymentReconcilerError, TransientError):
    """Retry later."""


class Permanent(PaymentReconcilerError, PermanentError):
    """Dead-letter: retrying cannot help."""
