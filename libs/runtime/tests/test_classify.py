"""The one decision both Kafka edges make after a try: ack, retry, or dead-letter."""
import json

from sb_runtime.errors import (
    Ack, AuthenticationError, DeadLetter, NotConnected, PermanentError, Retry, RetryPolicy, SuitebridgeError,
    TransientError, classify,
)

POLICY = RetryPolicy(max_attempts=3, base_backoff_s=0.5, max_backoff_s=1.0)


def test_success_is_acked():
    assert classify(None, 1, POLICY) == Ack()


def test_poison_is_dead_lettered_at_once():
    assert isinstance(classify(json.JSONDecodeError("bad", "x", 0), 1, POLICY), DeadLetter)
    assert classify(PermanentError("no such account"), 1, POLICY) == DeadLetter("PermanentError: no such account")


def test_a_transient_failure_is_retried_for_as_long_as_it_lasts_with_a_capped_backoff():
    assert classify(TransientError("503"), 1, POLICY) == Retry(0.5)
    assert classify(TransientError("503"), 30, POLICY) == Retry(1.0)


def test_any_other_failure_is_retried_then_dead_lettered():
    assert classify(KeyError("x"), 2, POLICY) == Retry(1.0)
    assert classify(KeyError("x"), 3, POLICY) == DeadLetter("gave up after 3 attempts: KeyError: 'x'")


def test_transient_permanent_and_authentication_are_siblings():
    kinds = [TransientError, PermanentError, AuthenticationError, NotConnected]
    assert all(issubclass(kind, SuitebridgeError) for kind in kinds)
    assert not any(issubclass(kind, other) for kind in kinds for other in kinds if kind is not other)


def test_an_authentication_failure_is_retried_then_dead_lettered_as_before():
    assert classify(AuthenticationError("401"), 2, POLICY) == Retry(1.0)
    assert classify(AuthenticationError("401"), 3, POLICY) == DeadLetter(
        "gave up after 3 attempts: AuthenticationError: 401")


def test_infrastructure_trouble_is_transient_however_long_it_lasts():
    import asyncpg
    from aiokafka.errors import KafkaConnectionError

    for error in (ConnectionRefusedError(111, "refused"), asyncpg.ConnectionDoesNotExistError("closed"),
                  asyncpg.CannotConnectNowError("starting up"), asyncpg.TooManyConnectionsError("too many"),
                  asyncpg.DeadlockDetectedError("deadlock"), KafkaConnectionError("broker"), TimeoutError()):
        assert classify(error, 100, POLICY) == Retry(1.0), error


def test_a_lost_connection_behind_another_error_is_still_transient():
    try:
        try:
            raise ConnectionResetError(104, "reset")
        except ConnectionResetError as lost:
            raise RuntimeError("effect failed") from lost
    except RuntimeError as wrapped:
        assert classify(wrapped, 100, POLICY) == Retry(1.0)
