"""NetSuite's error envelope and the exceptions that produce it."""

import json

from starlette.responses import Response

ERROR_CONTENT_TYPE = "application/vnd.oracle.resource+json; type=error; charset=UTF-8"
RESOURCE_PREFIX = "Error while accessing a resource. "
LOGIN_DETAIL = (
    "Invalid login attempt. For more details, see the Login Audit Trail in the NetSuite UI at "
    "Setup > Users/Roles > User Management > View Login Audit Trail."
)
SEARCH_PREFIX = "Invalid search query. Detailed unprocessed description follows. Search error occurred: "

TITLES = {
    400: "Bad Request", 401: "Unauthorized", 403: "Forbidden", 404: "Not Found",
    405: "Method Not Allowed", 415: "Unsupported Media Type",
    500: "Internal Server Error", 503: "Service Unavailable",
}
SECTIONS = {
    400: "15.5.1", 401: "15.5.2", 403: "15.5.4", 404: "15.5.5", 405: "15.5.6", 415: "15.5.16",
    500: "15.6.1", 503: "15.6.4",
}


class NetSuiteError(Exception):
    """An error answered with NetSuite's REST error envelope."""

    def __init__(self, status: int, code: str, detail: str, headers: dict | None = None, **extra):
        super().__init__(f"{status} {code}: {detail}")
        self.status = status
        self.code = code
        self.detail = detail
        self.headers = headers or {}
        self.extra = {f"o:{key}": value for key, value in extra.items()}

    def body(self) -> dict:
        if self.status == 429:  # as public captures show it: "Bad Request" and the RFC 2616 page (evidence C17)
            kind, title = "https://www.w3.org/Protocols/rfc2616/rfc2616-sec10.html", "Bad Request"
        else:
            kind = f"https://www.rfc-editor.org/rfc/rfc9110.html#section-{SECTIONS.get(self.status, '15.6.1')}"
            title = TITLES.get(self.status, "Error")
        detail = {"detail": self.detail, "o:errorCode": self.code, **self.extra}
        return {"type": kind, "title": title, "status": self.status, "o:errorDetails": [detail]}

    def response(self) -> Response:
        return Response(json.dumps(self.body()), self.status, self.headers, media_type=ERROR_CONTENT_TYPE)


def user_error(detail: str, path: str | None = None) -> NetSuiteError:
    extra = {"errorPath": path} if path else {}
    return NetSuiteError(400, "USER_ERROR", RESOURCE_PREFIX + detail, **extra)


def missing_values(*labels: str) -> NetSuiteError:
    return user_error("Please enter value(s) for: " + ", ".join(labels))


def nonexistent_id() -> NetSuiteError:
    return NetSuiteError(404, "NONEXISTENT_ID", "The record instance does not exist.")


def invalid_id(url: str) -> NetSuiteError:
    return NetSuiteError(400, "INVALID_ID", "The record instance ID in the URL is not valid.", errorUrl=url)


def invalid_parameter(detail: str, query_param: str | None = None) -> NetSuiteError:
    extra = {"errorQueryParam": query_param} if query_param else {}
    return NetSuiteError(400, "INVALID_PARAMETER", detail, **extra)


def invalid_search(reason: str) -> NetSuiteError:
    return NetSuiteError(400, "INVALID_PARAMETER", SEARCH_PREFIX + reason)


def invalid_login(www_authenticate: str) -> NetSuiteError:
    return NetSuiteError(401, "INVALID_LOGIN", LOGIN_DETAIL, {"WWW-Authenticate": www_authenticate})


def unexpected_error() -> NetSuiteError:
    return NetSuiteError(500, "UNEXPECTED_ERROR", "An unexpected error occurred. Error ID: emulator-injected")
