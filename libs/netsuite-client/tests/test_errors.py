"""NetSuite error envelopes map to typed errors that never leak credentials."""

import json

import httpx
import pytest

from netsuite_client import (
    AlreadyExistsError,
    AuthenticationError,
    NotFoundError,
    PermanentNetSuiteError,
    RateLimitedError,
    TransientNetSuiteError,
)
from netsuite_client.errors import NOT_SENT, error_from_response, transport_error


def envelope(status, code, detail):
    return {"type": "https://www.rfc-editor.org/rfc/rfc9110.html#section-15.5.1", "title": "x",
            "status": status, "o:errorDetails": [{"detail": detail, "o:errorCode": code}]}


@pytest.mark.parametrize(
    ("status", "code", "detail", "expected"),
    [
        (400, "USER_ERROR", "Error while accessing a resource. This entity already exists.", AlreadyExistsError),
        (400, "USER_ERROR", "Error while accessing a resource. Please enter value(s) for: Customer", PermanentNetSuiteError),
        (400, "INVALID_PARAMETER", "Invalid search query.", PermanentNetSuiteError),
        (401, "INVALID_LOGIN", "Invalid login attempt.", AuthenticationError),
        (404, "NONEXISTENT_ID", "The record instance does not exist.", NotFoundError),
        (429, "CONCURRENCY_LIMIT_EXCEEDED", "Concurrent request limit exceeded.", RateLimitedError),
        (500, "UNEXPECTED_ERROR", "An unexpected error occurred.", TransientNetSuiteError),
        (503, "SERVICE_UNAVAILABLE", "Try again later.", TransientNetSuiteError),
    ],
)
def test_error_envelope_maps_to_typed_error(status, code, detail, expected):
    error = error_from_response(status, envelope(status, code, detail), method="POST", path="/x")
    assert type(error) is expected
    assert (error.status, error.code, error.detail) == (status, code, detail)
    assert error.body["status"] == status
    assert str(status) in str(error) and code in str(error)


def test_transient_and_permanent_are_disjoint():
    assert not issubclass(RateLimitedError, PermanentNetSuiteError)
    assert issubclass(AlreadyExistsError, PermanentNetSuiteError)
    assert not issubclass(AuthenticationError, (PermanentNetSuiteError, TransientNetSuiteError))  # a sibling


@pytest.mark.parametrize(("message", "detail"), [
    ("That Suitelet is invalid, disabled, or no longer exists.",
     "That Suitelet is invalid, disabled, or no longer exists."),
    (json.dumps({"type": "error.SuiteScriptError", "name": "SB_INVOICE_NOT_FOUND",
                 "message": "No invoice has internal id 9.", "stack": ["createError(N/error)"]}),
     "No invoice has internal id 9."),
    ("{not json", "{not json"),
    (json.dumps({"type": "error.SuiteScriptError", "name": "X"}), '{"type": "error.SuiteScriptError", "name": "X"}'),
])
def test_restlet_errors_read_the_code_and_the_thrown_errors_own_message(message, detail):
    error = error_from_response(400, {"error": {"code": "SB_INVOICE_NOT_FOUND", "message": message}})
    assert type(error) is PermanentNetSuiteError
    assert (error.code, error.detail) == ("SB_INVOICE_NOT_FOUND", detail)


def test_restlet_over_the_limit_is_rate_limited_although_it_is_a_400():
    error = error_from_response(400, {"error": {"code": "SSS_REQUEST_LIMIT_EXCEEDED", "message": "Try later."}})
    assert isinstance(error, RateLimitedError) and error.detail == "Try later."


def test_non_json_body_is_kept_as_text():
    error = error_from_response(502, "<html>bad gateway</html>")
    assert isinstance(error, TransientNetSuiteError) and error.body == "<html>bad gateway</html>"


def test_connect_failure_is_marked_not_sent_and_timeouts_are_ambiguous():
    not_sent = transport_error(httpx.ConnectError("refused"), method="POST", path="/x")
    timed_out = transport_error(httpx.ReadTimeout("slow"), method="POST", path="/x")
    dropped = transport_error(httpx.RemoteProtocolError("closed"), method="POST", path="/x")
    assert (not_sent.code, timed_out.code, dropped.code) == (NOT_SENT, "TIMEOUT", "CONNECTION_ERROR")
    assert all(isinstance(e, TransientNetSuiteError) for e in (not_sent, timed_out, dropped))
