"""OAuth 2.0 against the emulator: connect with PKCE, refresh, and invalid_grant -> reconnect."""

import asyncio
import time
from urllib.parse import parse_qs, urlsplit

import pytest

from netsuite_client import (
    AuthenticationError,
    NetSuiteClient,
    OAuth2Credentials,
    OAuthError,
    ReconnectRequired,
    build_authorize_url,
    exchange_code,
    new_code_verifier,
    new_state,
    refresh_access_token,
)
from netsuite_client.testing import tenant_config_for_emulator


async def authorize(emulator, account, http, verifier, state):
    """What the partner's browser does: open the consent page and press Allow."""
    url = build_authorize_url(
        emulator.authorize_url(account["account_id"]), client_id=emulator.oauth2["client_id"],
        redirect_uri=emulator.oauth2["redirect_uris"][0], state=state, code_verifier=verifier,
    )
    assert (await http.get(url)).status_code == 200
    redirect = await http.post(url, data={"decision": "allow"})
    assert redirect.status_code == 302
    return {k: v[0] for k, v in parse_qs(urlsplit(redirect.headers["Location"]).query).items()}


async def connect(emulator, account, http):
    verifier, state = new_code_verifier(), new_state()
    callback = await authorize(emulator, account, http, verifier, state)
    assert callback["state"] == state and callback["company"] == account["account_id"]
    return await exchange_code(
        http, emulator.token_url(callback["company"]), client_id=emulator.oauth2["client_id"],
        client_secret=emulator.oauth2["client_secret"], code=callback["code"],
        redirect_uri=emulator.oauth2["redirect_uris"][0], code_verifier=verifier,
    )


def oauth2_client(emulator, account, http, tokens, *, expires_at=None, access_token=None, on_refresh=None):
    credentials = OAuth2Credentials(
        access_token=access_token or tokens.access_token, refresh_token=tokens.refresh_token,
        expires_at=expires_at if expires_at is not None else tokens.expires_at,
        client_id=emulator.oauth2["client_id"], client_secret=emulator.oauth2["client_secret"],
    )
    config = tenant_config_for_emulator(emulator.url, account, credentials=credentials, on_token_refresh=on_refresh)
    return NetSuiteClient(config, http=http)


async def test_connect_with_pkce_then_call_rest_and_restlet(emulator, account, http):
    tokens = await connect(emulator, account, http)
    assert tokens.refresh_token and tokens.expires_at > time.time() + 3000
    client = oauth2_client(emulator, account, http, tokens)
    assert (await client.records.list("customer", limit=2)).count == 2
    invoice_id = (await client.records.list("invoice", limit=1)).ids[0]
    pdf = await client.restlet_get("customscript_sb_invoice_pdf", "customdeploy_sb_invoice_pdf", id=invoice_id)
    assert pdf["contentType"] == "application/pdf"


async def test_wrong_code_verifier_is_an_oauth_error_not_a_reconnect(emulator, account, http):
    state = new_state()
    callback = await authorize(emulator, account, http, new_code_verifier(), state)
    with pytest.raises(OAuthError) as caught:
        await exchange_code(
            http, emulator.token_url(account["account_id"]), client_id=emulator.oauth2["client_id"],
            client_secret=emulator.oauth2["client_secret"], code=callback["code"],
            redirect_uri=emulator.oauth2["redirect_uris"][0], code_verifier=new_code_verifier(),
        )
    assert caught.value.code == "invalid_grant" and not isinstance(caught.value, ReconnectRequired)


async def test_wrong_client_secret_is_an_authentication_error(emulator, account, http):
    tokens = await connect(emulator, account, http)
    with pytest.raises(AuthenticationError) as caught:
        await refresh_access_token(http, emulator.token_url(account["account_id"]), emulator.oauth2["client_id"],
                                   "wrong-secret", tokens.refresh_token)
    assert caught.value.code == "invalid_client"


async def test_expired_access_token_is_refreshed_once_and_persisted(emulator, account, http):
    tokens = await connect(emulator, account, http)
    persisted = []

    async def on_refresh(tenant_key, credentials):
        persisted.append((tenant_key, credentials))

    client = oauth2_client(emulator, account, http, tokens, expires_at=time.time() - 1, on_refresh=on_refresh)
    emulator.reset_stats(account["account_id"])
    await asyncio.gather(*(client.records.get("customer", "1") for _ in range(10)))
    assert len(persisted) == 1
    tenant_key, credentials = persisted[0]
    assert tenant_key == client.config.tenant_key
    assert credentials.access_token != tokens.access_token and credentials.refresh_token == tokens.refresh_token
    assert credentials.expires_at > time.time() + 3000
    assert emulator.stats(account["account_id"])["requests"]["POST /auth/oauth2/v1/token"] == 1


async def test_rejected_access_token_is_refreshed_after_a_401(emulator, account, http):
    tokens = await connect(emulator, account, http)
    persisted = []

    async def on_refresh(tenant_key, credentials):
        persisted.append(credentials)

    client = oauth2_client(emulator, account, http, tokens, access_token="not-a-token", on_refresh=on_refresh)
    assert (await client.records.get("customer", "2"))["id"] == "2"
    assert len(persisted) == 1


async def test_revoked_grant_raises_reconnect_required(emulator, account, http):
    tokens = await connect(emulator, account, http)
    client = oauth2_client(emulator, account, http, tokens)
    emulator.revoke_tokens(account["account_id"])
    with pytest.raises(ReconnectRequired) as caught:
        await client.records.get("customer", "1")
    assert caught.value.code == "invalid_grant"
    for token in (tokens.access_token, tokens.refresh_token, emulator.oauth2["client_secret"]):
        assert token not in str(caught.value) and token not in repr(caught.value.body)
    assert tokens.access_token not in repr(client.auth.credentials)
    assert tokens.refresh_token not in repr(client.auth.credentials)
