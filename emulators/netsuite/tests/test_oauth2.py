"""OAuth 2.0: authorization code with PKCE, refresh without rotation, expiry, revocation, Bearer."""

import base64
import hashlib
import secrets
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

STATE = "state-" + "x" * 30


def challenge_for(verifier: str) -> str:
    return base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()


def authorize(emulator, account_id: str, verifier: str, decision: str = "allow", **overrides) -> dict:
    params = {"response_type": "code", "client_id": emulator.oauth2["client_id"],
              "redirect_uri": emulator.oauth2["redirect_uris"][0], "scope": "rest_webservices restlets",
              "state": STATE, "code_challenge": challenge_for(verifier), "code_challenge_method": "S256", **overrides}
    page = httpx.get(emulator.authorize_url(account_id), params=params)
    if page.status_code == 302:
        return parse_qs(urlsplit(page.headers["location"]).query)
    assert page.status_code == 200 and account_id in page.text and 'value="allow"' in page.text
    answer = httpx.post(emulator.authorize_url(account_id), params=params, data={"decision": decision})
    assert answer.status_code == 302
    assert answer.headers["location"].startswith(params["redirect_uri"] + "?")
    return {key: values[0] for key, values in parse_qs(urlsplit(answer.headers["location"]).query).items()}


def token(emulator, account_id: str, client_secret: str | None = None, **form) -> httpx.Response:
    secret = client_secret or emulator.oauth2["client_secret"]
    return httpx.post(emulator.token_url(account_id), data=form, auth=(emulator.oauth2["client_id"], secret))


def connect(emulator, account_id: str) -> dict:
    verifier = secrets.token_urlsafe(48)
    callback = authorize(emulator, account_id, verifier)
    response = token(emulator, account_id, grant_type="authorization_code", code=callback["code"],
                     redirect_uri=emulator.oauth2["redirect_uris"][0], code_verifier=verifier)
    assert response.status_code == 200, response.text
    return response.json()


def bearer_get(emulator, account_id: str, access_token: str) -> httpx.Response:
    return httpx.get(f"{emulator.rest_base(account_id)}/record/v1/customer",
                     headers={"Authorization": f"Bearer {access_token}"})


def test_full_flow_then_bearer_on_rest_and_restlet(emulator, credentials):
    account_id = credentials["account_id"]
    verifier = secrets.token_urlsafe(48)
    callback = authorize(emulator, account_id, verifier)
    assert (callback["company"], callback["role"], callback["entity"], callback["state"]) == (account_id, "3", "-5", STATE)
    tokens = token(emulator, account_id, grant_type="authorization_code", code=callback["code"],
                   redirect_uri=emulator.oauth2["redirect_uris"][0], code_verifier=verifier).json()
    assert tokens["token_type"] == "bearer" and tokens["expires_in"] == "3600"
    assert tokens["access_token"].count(".") == 2 and tokens["refresh_token"].count(".") == 2
    assert bearer_get(emulator, account_id, tokens["access_token"]).status_code == 200
    invoice_id = httpx.post(f"{emulator.rest_base(account_id)}/query/v1/suiteql",
                            json={"q": "SELECT MIN(id) AS id FROM transaction WHERE type = 'CustInvc'"},
                            headers={"Authorization": f"Bearer {tokens['access_token']}"}).json()["items"][0]["id"]
    pdf = httpx.get(emulator.restlet_url(account_id), headers={"Authorization": f"Bearer {tokens['access_token']}"},
                    params={"script": "customscript_sb_invoice_pdf", "deploy": "customdeploy_sb_invoice_pdf",
                            "id": invoice_id})
    assert pdf.status_code == 200 and pdf.json()["contentType"] == "application/pdf"
    replay = token(emulator, account_id, grant_type="authorization_code", code=callback["code"],
                   redirect_uri=emulator.oauth2["redirect_uris"][0], code_verifier=verifier)
    assert replay.status_code == 400 and replay.json()["error"] == "invalid_grant"


def test_host_based_authorize_page(emulator, credentials):
    label = credentials["account_id"].lower()
    page = httpx.get(f"{emulator.url}/app/login/oauth2/authorize.nl", headers={"Host": f"{label}.app.netsuite.com"},
                     params={"response_type": "code", "client_id": emulator.oauth2["client_id"],
                             "redirect_uri": emulator.oauth2["redirect_uris"][0], "scope": "rest_webservices",
                             "state": STATE, "code_challenge": "abc", "code_challenge_method": "S256"})
    assert page.status_code == 200 and "Deny" in page.text


def test_wrong_verifier_is_invalid_grant(emulator, credentials):
    account_id = credentials["account_id"]
    callback = authorize(emulator, account_id, secrets.token_urlsafe(48))
    response = token(emulator, account_id, grant_type="authorization_code", code=callback["code"],
                     redirect_uri=emulator.oauth2["redirect_uris"][0], code_verifier="not-the-verifier")
    assert response.status_code == 400 and response.json()["error"] == "invalid_grant"


def test_deny_redirects_with_access_denied(emulator, credentials):
    callback = authorize(emulator, credentials["account_id"], secrets.token_urlsafe(48), decision="deny")
    assert callback == {"error": "access_denied", "state": STATE}


@pytest.mark.parametrize("overrides, error", [
    ({"code_challenge_method": "plain"}, "invalid_request"), ({"state": "short"}, "invalid_request"),
    ({"scope": "everything"}, "invalid_scope"),
])
def test_bad_authorize_requests_redirect_with_error(emulator, credentials, overrides, error):
    callback = authorize(emulator, credentials["account_id"], "v" * 50, **overrides)
    assert callback["error"] == [error]


def test_bad_client_credentials(emulator, credentials):
    response = token(emulator, credentials["account_id"], client_secret="wrong", grant_type="refresh_token",
                     refresh_token="x")
    assert response.status_code == 401 and response.json()["error"] == "invalid_client"


def test_refresh_does_not_rotate(emulator, credentials):
    account_id = credentials["account_id"]
    tokens = connect(emulator, account_id)
    first = token(emulator, account_id, grant_type="refresh_token", refresh_token=tokens["refresh_token"]).json()
    assert set(first) == {"access_token", "expires_in", "token_type"}
    second = token(emulator, account_id, grant_type="refresh_token", refresh_token=tokens["refresh_token"])
    assert second.status_code == 200
    assert bearer_get(emulator, account_id, second.json()["access_token"]).status_code == 200


def test_expiry(emulator, credentials):
    account_id = credentials["account_id"]
    emulator.patch_account(account_id, access_token_ttl_s=60, refresh_token_ttl_s=120)
    tokens = connect(emulator, account_id)
    assert tokens["expires_in"] == "60"
    emulator.advance_clock(account_id, 59)
    assert bearer_get(emulator, account_id, tokens["access_token"]).status_code == 200  # not yet
    emulator.advance_clock(account_id, 62)
    expired = bearer_get(emulator, account_id, tokens["access_token"])
    assert expired.status_code == 401
    assert expired.headers["www-authenticate"] == (
        f'Bearer realm="{account_id}", error="invalid_token", error_description="Invalid login attempt."')
    refresh = token(emulator, account_id, grant_type="refresh_token", refresh_token=tokens["refresh_token"])
    assert refresh.status_code == 400 and refresh.json()["error"] == "invalid_grant"


def test_revocation(emulator, credentials):
    account_id = credentials["account_id"]
    tokens = connect(emulator, account_id)
    emulator.revoke_tokens(account_id)
    refresh = token(emulator, account_id, grant_type="refresh_token", refresh_token=tokens["refresh_token"])
    assert refresh.status_code == 400 and refresh.json()["error"] == "invalid_grant"
    assert bearer_get(emulator, account_id, tokens["access_token"]).status_code == 401


def test_token_of_one_account_is_useless_on_another(emulator, credentials, empty_credentials):
    tokens = connect(emulator, credentials["account_id"])
    assert bearer_get(emulator, empty_credentials["account_id"], tokens["access_token"]).status_code == 401
