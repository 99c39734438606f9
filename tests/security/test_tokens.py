"""Issue 13: tenant tokens for every tenant id the contract allows, malformed tokens are a 401
(never a 500), tokens expire, can be revoked one by one, and survive a signing-key rotation for
the grace period."""
from __future__ import annotations

import datetime as dt
import time

import httpx
import pytest
from sb_runtime import tokens

from connector.testing import SIGNING_KEY, admin_headers, running_connector

KEY = "current-key"


def _iso(offset_s: float) -> str:
    return dt.datetime.fromtimestamp(time.time() + offset_s, dt.timezone.utc).isoformat()


@pytest.mark.parametrize("tenant_id", ["acme", "acme.eu", "a.b.c", "msp_acme-1", "x" * 64, "-.-", "..."])
def test_a_token_works_for_every_tenant_id_the_contract_allows(tenant_id):
    principal = tokens.verify(tokens.mint_tenant_token(KEY, tenant_id), "", KEY)
    assert principal is not None and principal.tenant_id == tenant_id


@pytest.mark.parametrize("token", ["", ".", "sbt2", "sbt2....", "sbt2.a.1.b.c", "tökén", "sbt2.ä.9999999999.x.y",
                                   "\udcff", "sbt.acme.nonce.mäc", "sbt2.acme.9999999999.nonce.mäc", "sbt2.a.-1.b.c", "sbt2.a.99999999999999999999999.b.c", "Bearer x"])
def test_malformed_tokens_are_refused_without_raising(token):
    assert tokens.verify(token, "admin", KEY) is None


def test_an_expired_token_is_refused():
    token = tokens.mint_tenant_token(KEY, "acme", ttl_s=60, now=time.time() - 120)
    assert tokens.verify(token, "", KEY) is None


def test_a_previous_signing_key_verifies_only_during_its_grace_period():
    old = tokens.mint_tenant_token("old-key", "acme")
    assert tokens.verify(old, "", f"new-key,old-key@{_iso(3600)}").tenant_id == "acme"
    assert tokens.verify(old, "", f"new-key,old-key@{_iso(-1)}") is None
    assert tokens.verify(old, "", "new-key,old-key") is None  # no grace end: not trusted
    minted = tokens.mint_tenant_token(f"new-key,old-key@{_iso(3600)}", "acme")
    assert tokens.verify(minted, "", "new-key").tenant_id == "acme"


async def _mint(api: httpx.AsyncClient, tenant_id: str) -> dict:
    minted = await api.post(f"/v1/tenants/{tenant_id}/tokens", headers=admin_headers())
    assert minted.status_code == 201, minted.text
    return minted.json()


async def test_a_dotted_tenant_id_can_use_its_own_token(make_settings, callback_port, unique):
    tenant = f"acme.{unique}"
    async with running_connector(make_settings(), callback_port) as (url, _), \
            httpx.AsyncClient(base_url=url) as api:
        minted = await _mint(api, tenant)
        own = await api.get(f"/v1/tenants/{tenant}/netsuite", headers={"Authorization": f"Bearer {minted['token']}"})
        other = await api.get(f"/v1/tenants/acme/netsuite", headers={"Authorization": f"Bearer {minted['token']}"})
    assert own.status_code == 200, own.text
    assert other.status_code == 404


@pytest.mark.parametrize("header", ["Bearer tökén".encode(), "Bearer sbt.acme.nonce.mäc".encode(),
                                    "Bearer sbt2.acme.9999999999.nonce.mäc".encode(), "Bearer sbt2.ä.1.b.c".encode("latin-1"),
                                    b"Bearer \xff\xfe", b"Bearer sbt2.a.99999999999999999999999999.b.c",
                                    b"Basic abc", b"Bearer", b"bearer sbt2"])
async def test_malformed_bearer_tokens_answer_401(make_settings, callback_port, unique, header):
    async with running_connector(make_settings(), callback_port) as (url, _), \
            httpx.AsyncClient(base_url=url) as api:
        answer = await api.get(f"/v1/tenants/t-{unique}/netsuite", headers=[(b"Authorization", header)])
    assert answer.status_code == 401
    assert answer.json()["error"]["code"] == "unauthorized"


async def test_minted_tokens_carry_an_expiry_and_expired_ones_are_refused(make_settings, callback_port, unique):
    tenant = f"t-{unique}"
    expired = tokens.mint_tenant_token(SIGNING_KEY, tenant, ttl_s=60, now=time.time() - 120)
    async with running_connector(make_settings(token_ttl_s=3600), callback_port) as (url, _), \
            httpx.AsyncClient(base_url=url) as api:
        minted = await _mint(api, tenant)
        answer = await api.get(f"/v1/tenants/{tenant}/netsuite", headers={"Authorization": f"Bearer {expired}"})
    expires_at = dt.datetime.fromisoformat(minted["expires_at"])
    assert 3500 < (expires_at - dt.datetime.now(dt.timezone.utc)).total_seconds() <= 3600
    assert answer.status_code == 401


async def test_a_revoked_token_is_refused_and_others_keep_working(make_settings, callback_port, unique):
    tenant = f"t-{unique}"
    async with running_connector(make_settings(), callback_port) as (url, _), \
            httpx.AsyncClient(base_url=url) as api:
        revoked, kept = await _mint(api, tenant), await _mint(api, tenant)
        path = f"/v1/tenants/{tenant}/netsuite"
        assert (await api.get(path, headers={"Authorization": f"Bearer {revoked['token']}"})).status_code == 200
        gone = await api.delete(f"/v1/tenants/{tenant}/tokens/{revoked['token_id']}", headers=admin_headers())
        assert gone.status_code == 204
        after = await api.get(path, headers={"Authorization": f"Bearer {revoked['token']}"})
        still = await api.get(path, headers={"Authorization": f"Bearer {kept['token']}"})
    assert after.status_code == 401
    assert still.status_code == 200


async def test_signing_key_rotation_keeps_old_tokens_valid_for_the_grace_period(make_settings, callback_port, unique):
    tenant = f"t-{unique}"
    old = tokens.mint_tenant_token(SIGNING_KEY, tenant)
    rotated = make_settings(token_signing_key=f"rotated-key,{SIGNING_KEY}@{_iso(3600)}")
    async with running_connector(rotated, callback_port) as (url, _), httpx.AsyncClient(base_url=url) as api:
        answer = await api.get(f"/v1/tenants/{tenant}/netsuite", headers={"Authorization": f"Bearer {old}"})
        fresh = await _mint(api, tenant)
    assert answer.status_code == 200
    assert tokens.verify(fresh["token"], "", "rotated-key").tenant_id == tenant
    ended = make_settings(token_signing_key=f"rotated-key,{SIGNING_KEY}@{_iso(-1)}")
    async with running_connector(ended, callback_port) as (url, _), httpx.AsyncClient(base_url=url) as api:
        answer = await api.get(f"/v1/tenants/{tenant}/netsuite", headers={"Authorization": f"Bearer {old}"})
    assert answer.status_code == 401
