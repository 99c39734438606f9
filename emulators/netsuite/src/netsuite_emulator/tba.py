"""Token-Based Authentication: OAuth 1.0a HMAC-SHA256 signatures verified per RFC 5849."""

import base64
import hashlib
import hmac
import re
import time
from urllib.parse import parse_qsl, quote, unquote

from starlette.requests import Request

from netsuite_emulator.accounts import Account, canonical_id

_PARAM = re.compile(r'([A-Za-z0-9_]+)\s*=\s*(?:"([^"]*)"|([^,\s]*))')
REQUIRED = ("oauth_consumer_key", "oauth_token", "oauth_signature_method", "oauth_timestamp",
            "oauth_nonce", "oauth_signature")


class TbaRejected(Exception):
    """The reason only shows in the Login Audit Trail; the client sees INVALID_LOGIN."""


def parse_header(value: str) -> dict:
    text = value.strip()[len("OAuth"):]
    return {name: unquote(quoted if quoted or not bare else bare)
            for name, quoted, bare in _PARAM.findall(text)}


def encode(text: str) -> str:
    return quote(text, safe="~")


def base_uri(request: Request) -> str:
    scheme = request.url.scheme.lower()
    host = request.headers.get("host", "").lower()
    default = ":443" if scheme == "https" else ":80"
    if host.endswith(default):
        host = host[: -len(default)]
    path = request.scope.get("raw_path", b"").decode("latin-1") or request.url.path
    return f"{scheme}://{host}{path.split('?')[0]}"


def base_string(method: str, uri: str, params: list[tuple[str, str]]) -> str:
    pairs = sorted((encode(name), encode(value)) for name, value in params)
    normalized = "&".join(f"{name}={value}" for name, value in pairs)
    return "&".join((method.upper(), encode(uri), encode(normalized)))


def signature(base: str, consumer_secret: str, token_secret: str) -> str:
    key = f"{encode(consumer_secret)}&{encode(token_secret)}".encode()
    return base64.b64encode(hmac.new(key, base.encode(), hashlib.sha256).digest()).decode()


def signed_params(request: Request, oauth: dict, form: list[tuple[str, str]]) -> list[tuple[str, str]]:
    query = parse_qsl(request.scope.get("query_string", b"").decode("latin-1"), keep_blank_values=True)
    header = [(key, value) for key, value in oauth.items() if key not in ("realm", "oauth_signature")]
    return query + header + form


def verify(account: Account, request: Request, oauth: dict, form: list, tolerance_s: int) -> None:
    missing = [name for name in REQUIRED if not oauth.get(name)]
    if missing:
        raise TbaRejected(f"MissingParameter {missing}")
    if oauth.get("realm") and canonical_id(oauth["realm"]) != account.account_id:
        raise TbaRejected("InvalidAccount")
    if oauth["oauth_signature_method"] != "HMAC-SHA256":
        raise TbaRejected("UnsupportedSignatureMethod")
    credentials = account.tba
    if oauth["oauth_consumer_key"] != credentials.consumer_key or oauth["oauth_token"] != credentials.token_id:
        raise TbaRejected("InvalidToken")
    base = base_string(request.method, base_uri(request), signed_params(request, oauth, form))
    expected = signature(base, credentials.consumer_secret, credentials.token_secret)
    if not hmac.compare_digest(expected, oauth["oauth_signature"]):
        raise TbaRejected("InvalidSignature")
    _check_freshness(account, oauth, tolerance_s)


def _check_freshness(account: Account, oauth: dict, tolerance_s: int) -> None:
    try:
        timestamp = int(oauth["oauth_timestamp"])
    except ValueError as error:
        raise TbaRejected("InvalidTimestamp") from error
    now = time.time()
    if abs(now - timestamp) > tolerance_s:
        raise TbaRejected("InvalidTimestamp")
    if len(account.nonces) > 50_000:
        cutoff = now - 2 * tolerance_s
        account.nonces = {key: seen for key, seen in account.nonces.items() if seen > cutoff}
    key = (oauth["oauth_token"], oauth["oauth_nonce"])
    if key in account.nonces:
        raise TbaRejected("InvalidNonce")
    account.nonces[key] = timestamp
