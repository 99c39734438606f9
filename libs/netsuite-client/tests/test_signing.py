"""TBA signatures equal those of two independent OAuth 1.0a implementations."""

import base64
import hashlib
import hmac
from urllib.parse import unquote

import httpx
import pytest
from authlib.oauth1 import ClientAuth
from authlib.oauth1.rfc5849.parameters import prepare_headers
from authlib.oauth1.rfc5849.signature import generate_signature_base_string
from authlib.oauth1.rfc5849.util import escape
from oauthlib.oauth1 import SIGNATURE_HMAC_SHA256, Client

from netsuite_client import TbaCredentials, tba_authorization
from netsuite_client.auth import base_string_uri

CREDENTIALS = TbaCredentials("ck&1", "cs/secret+", "tok en", "ts~secret=")
URLS = [
    "https://1234567-sb1.suitetalk.api.netsuite.com/services/rest/record/v1/invoice/12?expandSubResources=true",
    "https://1234567-sb1.suitetalk.api.netsuite.com:443/services/rest/query/v1/suiteql?limit=1000&offset=2000",
    "http://127.0.0.1:8123/accounts/TSTDRV1/services/rest/record/v1/customer/eid:a%2Fb%20c",
    "https://x.restlets.api.netsuite.com/app/site/hosting/restlet.nl?script=customscript_a&deploy=1&id=9&q=a+b%2Bc",
]


def _fields(header: str) -> dict[str, str]:
    parts = header.removeprefix("OAuth ").split(", ")
    return {k: unquote(v.strip('"')) for k, v in (p.split("=", 1) for p in parts)}


def _sign_hmac_sha256(client, request):
    base = generate_signature_base_string(request)
    key = f"{escape(client.client_secret)}&{escape(client.token_secret)}"
    return base64.b64encode(hmac.new(key.encode(), base.encode(), hashlib.sha256).digest()).decode()


class AuthlibSha256(ClientAuth):
    """authlib's OAuth 1.0a client with HMAC-SHA256 (authlib ships SHA1 only)."""

    SIGNATURE_METHODS = {**ClientAuth.SIGNATURE_METHODS, "HMAC-SHA256": _sign_hmac_sha256}


@pytest.mark.parametrize("method", ["GET", "POST", "PUT"])
@pytest.mark.parametrize("url", URLS)
def test_signature_matches_oauthlib(method, url):
    ours = _fields(tba_authorization(method, url, CREDENTIALS, "1234567_SB1", nonce="abc123nonce", timestamp=1736772882))
    reference = Client(
        CREDENTIALS.consumer_key, client_secret=CREDENTIALS.consumer_secret,
        resource_owner_key=CREDENTIALS.token_id, resource_owner_secret=CREDENTIALS.token_secret,
        signature_method=SIGNATURE_HMAC_SHA256, realm="1234567_SB1",
        nonce="abc123nonce", timestamp="1736772882",
    )
    _, headers, _ = reference.sign(url, http_method=method)
    assert ours == _fields(headers["Authorization"])


@pytest.mark.parametrize("url", URLS)
def test_signature_matches_authlib(url):
    ours = _fields(tba_authorization("GET", url, CREDENTIALS, "R", nonce="n0nce99", timestamp=1700000000))
    auth = AuthlibSha256(
        CREDENTIALS.consumer_key, CREDENTIALS.consumer_secret, CREDENTIALS.token_id,
        CREDENTIALS.token_secret, signature_method="HMAC-SHA256", realm="R",
    )
    headers = prepare_headers(auth.get_oauth_params("n0nce99", "1700000000"), {}, realm="R")
    assert ours["oauth_signature"] == auth.get_oauth_signature("GET", url, headers, b"")


def test_every_call_gets_a_new_nonce_and_signature():
    first = _fields(tba_authorization("GET", URLS[0], CREDENTIALS, "R"))
    second = _fields(tba_authorization("GET", URLS[0], CREDENTIALS, "R"))
    assert first["oauth_nonce"] != second["oauth_nonce"]
    assert first["oauth_signature"] != second["oauth_signature"]
    assert len(first["oauth_nonce"]) >= 6


def test_base_string_uri_lowercases_host_and_drops_default_port():
    assert base_string_uri(httpx.URL("HTTPS://ABC.Example.COM:443/Path/x?y=1")) == "https://abc.example.com/Path/x"
    assert base_string_uri(httpx.URL("http://h:8080/a%2Fb")) == "http://h:8080/a%2Fb"


def test_header_never_contains_the_secrets():
    header = tba_authorization("GET", URLS[0], CREDENTIALS, "R")
    assert "cs%2Fsecret" not in header and "ts~secret" not in header
    assert "secret" not in repr(CREDENTIALS)
