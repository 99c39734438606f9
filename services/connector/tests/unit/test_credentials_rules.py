"""Pure rules of connections that last: TBA request checks, sealing, the credentials view, expiry words."""
from __future__ import annotations

import datetime as dt

import pytest
from netsuite_client import TbaCredentials

from connector import expiry, status, store, tba, tenants
from connector.connections import open_tba, seal_tba
from connector.crypto import TokenCipher
from connector.settings import Settings
from connector.testing import AdjustableClock
from connector.token_store import CredentialsKind

EXPIRES = dt.datetime(2026, 12, 3, 10, 15, 30, 123456, tzinfo=dt.UTC)


@pytest.mark.parametrize("account_id", ["1234567", "1234567_SB1", "TSTDRV7001", "1234567-sb1"])
def test_netsuite_account_ids_are_accepted(account_id):
    assert tba.valid_account_id(f" {account_id} ") == account_id


@pytest.mark.parametrize("account_id", ["", "12 34", "1234567;DROP", "../1234567", "a" * 60])
def test_anything_else_is_not_an_account_id(account_id):
    with pytest.raises(tba.InvalidTba):
        tba.valid_account_id(account_id)


def test_the_integrations_consumer_key_is_the_default_and_otherwise_required():
    request = tba.TbaRequest("1234567", "token", "token-secret")
    with pytest.raises(tba.InvalidTba, match="consumer_key and consumer_secret are required"):
        tba.credentials_of(Settings(), request)
    configured = Settings(tba_consumer_key="ck", tba_consumer_secret="cs")
    assert tba.credentials_of(configured, request) == TbaCredentials("ck", "cs", "token", "token-secret")
    own = tba.TbaRequest("1234567", "token", "token-secret", "mine", "my-secret")
    assert tba.credentials_of(configured, own).consumer_key == "mine"
    assert "token-secret" not in repr(own) and "my-secret" not in repr(own)


def test_a_tba_set_is_sealed_and_opened_with_the_token_keys():
    cipher = TokenCipher(["key-one"])
    credentials = TbaCredentials("ck", "cs", "tid", "the-token-secret")
    sealed = seal_tba(cipher, credentials)
    assert b"the-token-secret" not in sealed
    assert open_tba(cipher, sealed) == credentials


def test_the_status_shows_the_kind_and_the_refresh_expiry_in_utc():
    assert status.credentials_view(None) is None
    assert status.credentials_view(CredentialsKind("tba", None)) == {"kind": "tba", "refresh_expires_at": None}
    assert status.credentials_view(CredentialsKind("oauth2", EXPIRES)) == {
        "kind": "oauth2", "refresh_expires_at": "2026-12-03T10:15:30Z"}


def test_after_expiry_a_reconnect_stop_says_when_and_what_to_do_whoever_noticed_it():
    tenant = store.Tenant("acme", "error", "1234567", None, tenants.RECONNECT, None)
    kind = CredentialsKind("oauth2", EXPIRES)
    before, after = EXPIRES - dt.timedelta(hours=1), EXPIRES + dt.timedelta(hours=1)
    assert status.last_error(tenant, kind, before) == tenants.RECONNECT
    assert status.last_error(tenant, kind, after) == (
        "The NetSuite authorization for account 1234567 expired on 2026-12-03 10:15 UTC. Reconnect from the dashboard.")
    assert tenants.needs_reconnect(store.Tenant("acme", "error", "1", None, expiry.expired("1", EXPIRES), None))
    assert not tenants.needs_reconnect(store.Tenant("acme", "error", "1", None, "REST web services are off", None))


def test_the_reminder_names_the_date_and_the_account():
    message = expiry.warning("1234567", EXPIRES)
    assert message.startswith("Reconnect NetSuite before 2026-12-03 10:15 UTC")
    assert "1234567" in message


def test_the_adjustable_clock_moves_forward_by_hand():
    clock = AdjustableClock()
    start = clock.now()
    moved = clock.advance(days=5)
    assert dt.timedelta(days=5) <= moved - start < dt.timedelta(days=5, seconds=5)
