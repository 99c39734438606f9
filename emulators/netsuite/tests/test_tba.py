"""Token-Based Authentication: signatures from independent OAuth 1.0a libraries, and rejections."""

import base64
import hashlib
import time

import httpx
import pytest
from oauthlib.oauth1 import SIGNATURE_HMAC_SHA256, Client
from oauthlib.oauth1.rfc5849 import signature as oauth_signature


def assert_rejected(response: httpx.Response, account_id: str) -> None:
    assert response.status_code == 401
    assert response.json()["o:errorDetails"][0]["o:errorCode"] == "INVALID_LOGIN"
    assert response.headers["www-authenticate"] == (
        f'OAuth realm="{account_id}", error="token_rejected", error_description="Invalid login attempt."')


def oauthlib_client(credentials: dict, **kwargs) -> Client:
    tba = credentials["tba"]
    return Client(tba["consumer_key"], client_secret=tba["consumer_secret"], resource_owner_key=tba["token_id"],
                  resource_owner_secret=tba["token_secret"], signature_method=SIGNATURE_HMAC_SHA256,
                  realm=credentials["account_id"], **kwargs)


def test_authlib_signed_requests_work_on_both_url_forms(emulator, client_for):
    credentials = emulator.create_account(account_id="1234567_SB1", seed={"customers": 2, "invoices": 3})
    by_path = client_for(credentials)
    by_host = client_for(credentials, host_based=True, realm="1234567-sb1")
    for client in (by_path, by_host):
        response = client.get("/record/v1/invoice", params={"limit": 2, "q": 'lastModifiedDate AFTER "1/1/2000"'})
        assert response.status_code == 200, response.text
        assert response.json()["totalResults"] == 3
    host_link = by_host.get("/record/v1/invoice").json()["links"][-1]["href"]
    assert host_link.startswith("http://1234567-sb1.suitetalk.api.netsuite.com/services/rest/record/v1/invoice")


def test_realm_is_optional_and_host_label_routing_accepts_account_id(emulator, credentials, client_for, tba):
    client = client_for(credentials, realm="")
    assert client.get("/record/v1/customer").status_code == 200
    upper = httpx.get(f"{emulator.url}/services/rest/record/v1/customer",
                      headers={"Host": f"{credentials['account_id'].lower()}.suitetalk.api.netsuite.com"},
                      auth=tba(credentials))
    assert upper.status_code == 200


def test_bad_signature_wrong_token_and_other_realm_are_rejected(emulator, credentials, tba):
    account_id = credentials["account_id"]
    url = f"{emulator.url}/accounts/{account_id}/services/rest/record/v1/customer"
    wrong_secret = {**credentials, "tba": {**credentials["tba"], "token_secret": "nope"}}
    assert_rejected(httpx.get(url, auth=tba(wrong_secret)), account_id)
    wrong_token = {**credentials, "tba": {**credentials["tba"], "token_id": "f" * 64}}
    assert_rejected(httpx.get(url, auth=tba(wrong_token)), account_id)
    assert_rejected(httpx.get(url, auth=tba(credentials, realm="9999999")), account_id)
    assert_rejected(httpx.get(url), account_id)


def test_replayed_nonce_is_rejected(emulator, credentials):
    url = f"{emulator.url}/accounts/{credentials['account_id']}/services/rest/record/v1/customer?limit=5"
    signed_url, headers, _ = oauthlib_client(credentials).sign(url, "GET")
    assert httpx.get(signed_url, headers=headers).status_code == 200
    assert_rejected(httpx.get(signed_url, headers=headers), credentials["account_id"])


def test_stale_timestamp_is_rejected(emulator, credentials):
    url = f"{emulator.url}/accounts/{credentials['account_id']}/services/rest/record/v1/customer"
    client = oauthlib_client(credentials, timestamp=str(int(time.time()) - 3600), nonce="abcdef123456")
    signed_url, headers, _ = client.sign(url, "GET")
    assert_rejected(httpx.get(signed_url, headers=headers), credentials["account_id"])


def test_signature_covers_query_parameters(emulator, credentials):
    url = f"{emulator.url}/accounts/{credentials['account_id']}/services/rest/record/v1/customer?limit=5"
    signed_url, headers, _ = oauthlib_client(credentials).sign(url, "GET")
    tampered = signed_url.replace("limit=5", "limit=6")
    assert_rejected(httpx.get(tampered, headers=headers), credentials["account_id"])


def test_oauth_body_hash_is_part_of_the_base_string(emulator, credentials):
    tba = credentials["tba"]
    body = b'{"q": "SELECT id FROM currency"}'
    url = f"{emulator.url}/accounts/{credentials['account_id']}/services/rest/query/v1/suiteql"
    params = [("oauth_consumer_key", tba["consumer_key"]), ("oauth_token", tba["token_id"]),
              ("oauth_signature_method", "HMAC-SHA256"), ("oauth_timestamp", str(int(time.time()))),
              ("oauth_nonce", "bodyhash12345"), ("oauth_version", "1.0"),
              ("oauth_body_hash", base64.b64encode(hashlib.sha256(body).digest()).decode())]
    base = oauth_signature.signature_base_string(
        "POST", oauth_signature.base_string_uri(url), oauth_signature.normalize_parameters(params))
    signed = oauth_signature.sign_hmac_sha256(base, tba["consumer_secret"], tba["token_secret"])
    header = "OAuth " + ", ".join(f'{name}="{oauth_signature.utils.escape(value)}"'
                                  for name, value in params + [("oauth_signature", signed)])
    assert httpx.post(url, content=body, headers={"Authorization": header}).status_code == 200
    without_hash = header.replace("oauth_body_hash", "oauth_body_hash_x")
    assert httpx.post(url, content=body, headers={"Authorization": without_hash}).status_code == 401


@pytest.mark.parametrize("feature, status", [("token_auth", 401), ("rest_web_services", 403)])
def test_feature_switches(emulator, ns, feature, status):
    emulator.patch_account(ns.account_id, features={feature: False})
    response = ns.get("/record/v1/customer")
    assert response.status_code == status
    expected = "INVALID_LOGIN" if status == 401 else "FEATURE_DISABLED"
    assert response.json()["o:errorDetails"][0]["o:errorCode"] == expected
    emulator.patch_account(ns.account_id, features={feature: True})
    assert ns.get("/record/v1/customer").status_code == 200


def test_unknown_account_and_options(emulator):
    assert httpx.get(f"{emulator.url}/accounts/NOPE123/services/rest/record/v1/customer").status_code == 404
    assert httpx.options(f"{emulator.url}/accounts/NOPE123/services/rest/record/v1/customer").status_code == 404
