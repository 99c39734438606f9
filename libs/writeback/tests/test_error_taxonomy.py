"""Both error trees have the same three siblings, and the edge decides the same for NetSuite's refused
credentials as for suitebridge's own authentication failure."""
from netsuite_client import AuthenticationError, PermanentNetSuiteError, TransientNetSuiteError
from sb_runtime import errors
from sb_runtime.errors import RetryPolicy, classify

POLICY = RetryPolicy(max_attempts=3, base_backoff_s=0.5, max_backoff_s=1.0)


def test_netsuite_authentication_is_neither_transient_nor_permanent():
    assert not issubclass(AuthenticationError, (PermanentNetSuiteError, TransientNetSuiteError))
    assert not issubclass(AuthenticationError, (errors.PermanentError, errors.TransientError))


def test_the_edge_decides_the_same_for_both_authentication_failures():
    for attempts in (1, 2, 3, 9):
        ours = classify(errors.AuthenticationError("401 Invalid login attempt."), attempts, POLICY)
        theirs = classify(AuthenticationError("Invalid login attempt."), attempts, POLICY)
        assert type(ours) is type(theirs)
        assert getattr(ours, "backoff_s", None) == getattr(theirs, "backoff_s", None)
