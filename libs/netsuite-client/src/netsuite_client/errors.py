"""Typed NetSuite errors, mapped from HTTP status and NetSuite's error envelope.

Three siblings under ``NetSuiteError``: ``TransientNetSuiteError`` means "try again later" (429,
5xx, timeouts, dropped connections); ``PermanentNetSuiteError`` means retrying the same request
cannot succeed; ``AuthenticationError`` means the credentials were refused (the request may well
succeed once the tenant reconnects or NetSuite accepts the login again). Messages and bodies
never contain credentials: only NetSuite's response and the request method and path.
"""

from __future__ import annotations

import json
from typing import Any

import httpx

ALREADY_EXISTS_DETAIL = "This entity already exists."
_MAX_TEXT_BODY = 2000


class NetSuiteError(Exception):
    """Base of every error raised by this library.

    ``status`` is the HTTP status (``None`` for transport failures), ``code`` NetSuite's
    ``o:errorCode`` (or an OAuth ``error``), ``detail`` the human text, ``body`` the parsed
    response body (dict) or its text.
    """

    def __init__(
        self,
        detail: str,
        *,
        status: int | None = None,
        code: str | None = None,
        body: Any = None,
        method: str | None = None,
        path: str | None = None,
    ) -> None:
        self.detail = detail
        self.status = status
        self.code = code
        self.body = body
        self.method = method
        self.path = path
        super().__init__(self._message())

    def _message(self) -> str:
        where = f"{self.method} {self.path} -> " if self.method else ""
        status = self.status if self.status is not None else "no response"
        return f"{where}{status} {self.code or ''}: {self.detail}".replace("  ", " ")


class TransientNetSuiteError(NetSuiteError):
    """Retryable later: 429, 5xx, timeouts, connection errors.

    After a write, a transient error is *ambiguous*: the write may have committed.
    """


class RateLimitedError(TransientNetSuiteError):
    """429: the account's concurrency limit was exceeded; the request was not executed."""


class PermanentNetSuiteError(NetSuiteError):
    """Not retryable as is: validation errors, bad ids, missing permissions."""


class NotFoundError(PermanentNetSuiteError):
    """404 ``NONEXISTENT_ID`` (or a missing RESTlet deployment)."""


class AlreadyExistsError(PermanentNetSuiteError):
    """400 ``USER_ERROR`` "This entity already exists." (duplicate externalId on create)."""


class AuthenticationError(NetSuiteError):
    """401 ``INVALID_LOGIN`` or a rejected OAuth 2.0 client / token: neither transient nor permanent."""


class ReconnectRequired(AuthenticationError):
    """The refresh token is no longer valid (``invalid_grant``): the partner must reconnect."""


class OAuthError(PermanentNetSuiteError):
    """The OAuth 2.0 token endpoint refused a request for another reason."""


def parse_body(text: str) -> Any:
    """The JSON body if it parses, else the (truncated) text."""
    try:
        return json.loads(text) if text else None
    except ValueError:
        return text[:_MAX_TEXT_BODY]


def restlet_message(message: Any) -> str:
    """A RESTlet error's human text: SuiteScript 2.x puts the thrown ``SuiteScriptError`` in
    ``message`` serialised as JSON (``{"type": "error.SuiteScriptError", "name", "message", ...}``);
    its inner ``message`` is the text. Any other message is returned as it is."""
    text = str(message if message is not None else "")
    if not text.startswith("{"):
        return text
    try:
        thrown = json.loads(text)
    except ValueError:
        return text
    if isinstance(thrown, dict) and isinstance(thrown.get("message"), str) and thrown["message"]:
        return thrown["message"]
    return text


def _first_detail(body: Any) -> tuple[str | None, str]:
    if isinstance(body, dict) and isinstance(body.get("error"), dict):  # a RESTlet's SuiteScript error
        return body["error"].get("code"), restlet_message(body["error"].get("message"))
    if isinstance(body, dict):
        details = body.get("o:errorDetails") or []
        if details and isinstance(details[0], dict):
            return details[0].get("o:errorCode"), str(details[0].get("detail", ""))
        return None, str(body.get("title", ""))
    return None, str(body or "")


RESTLET_LIMIT_CODE = "SSS_REQUEST_LIMIT_EXCEEDED"


def error_from_response(
    status: int, body: Any, *, method: str | None = None, path: str | None = None
) -> NetSuiteError:
    """Map a non-2xx response (status + parsed body) to the matching error class."""
    code, detail = _first_detail(body)
    kwargs = {"status": status, "code": code, "body": body, "method": method, "path": path}
    detail = detail or f"HTTP {status}"
    if status == 429 or code == RESTLET_LIMIT_CODE:  # RESTlets answer the concurrency limit with 400
        return RateLimitedError(detail, **kwargs)
    if status == 408 or status >= 500:
        return TransientNetSuiteError(detail, **kwargs)
    if status == 401:
        return AuthenticationError(detail, **kwargs)
    if status == 404:
        return NotFoundError(detail, **kwargs)
    if status == 400 and ALREADY_EXISTS_DETAIL in detail:
        return AlreadyExistsError(detail, **kwargs)
    return PermanentNetSuiteError(detail, **kwargs)


# Failures that happen before the request leaves the client: never ambiguous.
_NOT_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)
NOT_SENT = "NOT_SENT"


def transport_error(exc: Exception, *, method: str, path: str) -> TransientNetSuiteError:
    """A timeout or connection failure, without any request headers in the message.

    ``code`` is ``NOT_SENT`` when the request certainly never reached NetSuite, else
    ``TIMEOUT`` or ``CONNECTION_ERROR`` (a write may have committed).
    """
    if isinstance(exc, _NOT_SENT):
        code = NOT_SENT
    elif isinstance(exc, httpx.TimeoutException):
        code = "TIMEOUT"
    else:
        code = "CONNECTION_ERROR"
    return TransientNetSuiteError(type(exc).__name__, code=code, method=method, path=path)
