"""One exception base for suitebridge code, split by what the transport edge should do, and the
edge's one decision (``classify``) that both Kafka edges (single messages, batches) follow.

The taxonomy: ``TransientError``, ``PermanentError`` and ``AuthenticationError`` are siblings, and
``NotConnected`` says there is no connection to authenticate with at all. ``netsuite_client`` (which
depends on no suitebridge library) mirrors the first three under ``NetSuiteError``."""
from __future__ import annotations

import json
from dataclasses import dataclass

from pydantic import ValidationError


class SuitebridgeError(Exception):
    """Base class for errors raised by suitebridge code."""


class TransientError(SuitebridgeError):
    """Worth retrying later (network, NetSuite 429/5xx, a dependency not ready yet)."""


class PermanentError(SuitebridgeError):
    """Retrying cannot help (bad input, business rule violation): dead-letter it."""


class AuthenticationError(SuitebridgeError):
    """The tenant's credentials were refused or have run out: waiting alone does not help (not transient),
    yet the message is fine and goes through once the tenant reconnects (not permanent)."""


class NotConnected(SuitebridgeError):
    """The tenant has no usable NetSuite connection: the work waits (it is not an error of the message)."""


# What never gets better by retrying: bytes that do not parse or violate the contract, and PermanentError.
POISON = (ValidationError, json.JSONDecodeError, UnicodeDecodeError, PermanentError)


@dataclass(frozen=True)
class Ack:
    """Done: commit the offset."""


@dataclass(frozen=True)
class Retry:
    """Leave it unacked and try again after ``backoff_s``."""

    backoff_s: float


@dataclass(frozen=True)
class DeadLetter:
    """Send it to ``<topic>.dlq`` with ``reason`` and move on."""

    reason: str


Decision = Ack | Retry | DeadLetter


@dataclass(frozen=True)
class RetryPolicy:
    max_attempts: int = 8
    base_backoff_s: float = 0.2
    max_backoff_s: float = 10.0

    def backoff(self, attempts: int) -> float:
        return min(self.max_backoff_s, self.base_backoff_s * 2 ** (attempts - 1))


def classify(error: BaseException | None, attempts: int, policy: RetryPolicy = RetryPolicy()) -> Decision:
    """What the edge does after the ``attempts``-th try of a message ended with ``error`` (None: success).

    Poison is dead-lettered at once; a ``TransientError`` is retried for as long as it lasts; an
    ``AuthenticationError`` (like NetSuite's, which is no ``SuitebridgeError``) and any other failure
    are retried until ``policy.max_attempts``, then dead-lettered, so one bad message cannot stop a
    partition for ever.
    """
    if error is None:
        return Ack()
    described = f"{type(error).__name__}: {error}"
    if isinstance(error, POISON):
        return DeadLetter(described)
    if isinstance(error, AuthenticationError):
        return _bounded(described, attempts, policy)
    if isinstance(error, TransientError):
        return Retry(policy.backoff(attempts))
    return _bounded(described, attempts, policy)


def _bounded(described: str, attempts: int, policy: RetryPolicy) -> Decision:
    """Retried with the backoff until ``policy.max_attempts``, then dead-lettered."""
    if attempts >= policy.max_attempts:
        return DeadLetter(f"gave up after {attempts} attempts: {described}")
    return Retry(policy.backoff(attempts))
