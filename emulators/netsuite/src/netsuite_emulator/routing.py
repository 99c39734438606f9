"""Which account and which NetSuite service a request is for, from its Host header or path."""

import re
from dataclasses import dataclass

from starlette.requests import Request

HOST = re.compile(r"^(?P<label>[a-z0-9_-]+)\.(?:suitetalk\.api|restlets\.api|app)\.netsuite\.com$")
ACCOUNT_PATH = re.compile(r"^/accounts/(?P<account>[^/]+)(?P<rest>/.*)?$")
REST_PREFIX = "/services/rest"
RESTLET_PATH = "/app/site/hosting/restlet.nl"
AUTHORIZE_PATH = "/app/login/oauth2/authorize.nl"


@dataclass
class Target:
    account_key: str
    service: str  # "rest", "restlet" or "authorize"
    subpath: str  # for "rest": the path after /services/rest
    origin: str   # scheme://host as the client called it
    prefix: str   # "" (host-based) or "/accounts/<id>" (path-based)

    @property
    def rest_base(self) -> str:
        return f"{self.origin}{self.prefix}{REST_PREFIX}"

    def url(self, path: str) -> str:
        return f"{self.origin}{self.prefix}{path}"


def _service(path: str) -> tuple[str, str] | None:
    if path == REST_PREFIX or path.startswith(REST_PREFIX + "/"):
        return "rest", path[len(REST_PREFIX):] or "/"
    if path == RESTLET_PATH:
        return "restlet", ""
    if path == AUTHORIZE_PATH:
        return "authorize", ""
    return None


def resolve(request: Request) -> Target | None:
    host = request.headers.get("host", "")
    origin = f"{request.url.scheme}://{host}"
    path = request.url.path
    by_path = ACCOUNT_PATH.match(path)
    if by_path:
        service = _service(by_path.group("rest") or "/")
        if service:
            account = by_path.group("account")
            return Target(account, service[0], service[1], origin, f"/accounts/{account}")
        return None
    by_host = HOST.match(host.split(":")[0].lower())
    service = _service(path)
    if by_host and service:
        return Target(by_host.group("label"), service[0], service[1], origin, "")
    return None
