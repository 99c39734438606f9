"""TBA against the real emulator: an independent signer is accepted; bad credentials are not."""

import base64
import hashlib
import hmac
import time

import httpx
import pytest
from authlib.integrations.httpx_client import AsyncOAuth1Client, OAuth1Auth
from authlib.oauth1.rfc5849.signature import generate_signature_base_string
from authlib.oauth1.rfc5849.util import escape

from netsuite_client import AuthenticationError, NetSuiteClient, RetryPolicy, TbaCredentials, tba_authorization
from netsuite_client.testing import HostRoutingTransport, tba_credentials, tenant_config_for_emulator


def _sign_hmac_sha256(client, request):
    base = generate_signature_base_string(request)
    key = f"{escape(client.client_secret)}&{escape(client.token_secret)}"
    return base64.b64encode(hmac.new(key.encode(), base.encode(), hashlib.sha256).digest()).decode()


class Sha256OAuth1Auth(OAuth1Auth):
    SIGNATURE_METHODS = {**OAuth1Auth.SIGNATURE_METHODS, "HMAC-SHA256": _sign_hmac_sha256}


class Sha256OAuth1Client(AsyncOAuth1Client):
    auth_class = Sha256OAuth1Auth


def authlib_client(account, **kwargs):
    tba = account["tba"]
    return Sha256OAuth1Client(
        tba["consumer_key"], tba["consumer_secret"], tba["token_id"], tba["token_secret"],
        signature_method="HMAC-SHA256", realm=account["account_id"], **kwargs,
    )


async def test_authlib_signed_request_is_accepted_path_based(emulator, account):
    url = f"{emulator.rest_base(account['account_id'])}/record/v1/customer"
    async with authlib_client(account) as client:
        response = await client.get(url, params={"limit": 2, "offset": 0})
    assert response.status_code == 200, response.text
    assert response.json()["count"] == 2


async def test_authlib_signed_request_is_accepted_host_based(emulator, account, monkeypatch):
    monkeypatch.setenv("AUTHLIB_INSECURE_TRANSPORT", "1")  # plain http to the loopback emulator
    label = account["account_id"].lower().replace("_", "-")
    url = f"http://{label}.suitetalk.api.netsuite.com/services/rest/query/v1/suiteql"
    # force_include_body: authlib otherwise drops JSON bodies (it then also signs oauth_body_hash).
    transport = HostRoutingTransport(emulator.url)
    async with authlib_client(account, transport=transport, force_include_body=True) as client:
        response = await client.post(url, params={"limit": 5}, json={"q": "SELECT id FROM customer ORDER BY id"},
                                     headers={"Prefer": "transient"})
    assert response.status_code == 200, response.text
    assert response.json()["count"] == 5


@pytest.mark.parametrize("host_based", [False, True])
async def test_our_client_works_host_and_path_based(emulator, account, host_based):
    config = tenant_config_for_emulator(emulator.url, account, host_based=host_based)
    async with httpx.AsyncClient(transport=HostRoutingTransport(emulator.url)) as http:
        client = NetSuiteClient(config, http=http)
        page = await client.records.list("customer", limit=3)
        assert page.ids == ["1", "2", "3"] and page.total_results == 5
        rows = await client.suiteql.query_all("SELECT id FROM customer WHERE {after} ORDER BY id")
    assert [row["id"] for row in rows] == ["1", "2", "3", "4", "5"]


@pytest.mark.parametrize("broken", ["consumer_secret", "token_secret", "token_id", "consumer_key"])
async def test_wrong_credentials_raise_authentication_error(make_client, account, broken):
    good = tba_credentials(account)
    wrong = TbaCredentials(**{**good.__dict__, broken: "0" * 64})
    client = make_client(account, credentials=wrong)
    with pytest.raises(AuthenticationError) as caught:
        await client.records.list("customer", limit=1)
    assert (caught.value.status, caught.value.code) == (401, "INVALID_LOGIN")
    for secret in account["tba"].values():
        assert secret not in str(caught.value) and secret not in repr(caught.value.body)


async def _send_signed(authorization, url):
    async with httpx.AsyncClient() as http:
        return await http.get(url, headers={"Authorization": authorization})


async def test_replayed_nonce_stale_timestamp_and_tampered_url_are_rejected(emulator, account):
    creds = tba_credentials(account)
    url = f"{emulator.rest_base(account['account_id'])}/record/v1/customer/1"
    fixed = tba_authorization("GET", url, creds, account["account_id"], nonce="replayme123")
    assert (await _send_signed(fixed, url)).status_code == 200
    assert (await _send_signed(fixed, url)).status_code == 401
    stale = tba_authorization("GET", url, creds, account["account_id"], timestamp=int(time.time()) - 3600)
    assert (await _send_signed(stale, url)).status_code == 401
    other = tba_authorization("GET", url.replace("/customer/1", "/customer/2"), creds, account["account_id"])
    rejected = await _send_signed(other, url)
    assert rejected.status_code == 401
    assert rejected.json()["o:errorDetails"][0]["o:errorCode"] == "INVALID_LOGIN"
    assert rejected.headers["WWW-Authenticate"].startswith("OAuth realm=")


class NonceRecorder(httpx.AsyncBaseTransport):
    """Passes requests to the real transport and notes each Authorization header."""

    def __init__(self):
        self.inner = httpx.AsyncHTTPTransport()
        self.authorizations = []

    async def handle_async_request(self, request):
        self.authorizations.append(request.headers["Authorization"])
        return await self.inner.handle_async_request(request)


async def test_every_retry_is_signed_afresh(emulator, account):
    emulator.patch_account(account["account_id"], error_rate=0.3)
    recorder = NonceRecorder()
    config = tenant_config_for_emulator(emulator.url, account)
    async with httpx.AsyncClient(transport=recorder) as http:
        client = NetSuiteClient(config, http=http, retry=RetryPolicy(max_attempts=12, base_delay_s=0.01, max_delay_s=0.1))
        for record_id in ["1", "2", "3", "4", "5"] * 4:
            assert (await client.records.get("customer", record_id))["id"] == record_id
    nonces = [a.split('oauth_nonce="')[1].split('"')[0] for a in recorder.authorizations]
    assert len(nonces) > 20  # some attempts failed and were retried (p(no failure) = 0.7^20)
    assert len(set(nonces)) == len(nonces)
    assert emulator.stats(account["account_id"])["status_counts"].get("401", 0) == 0
