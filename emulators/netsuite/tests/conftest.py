"""Fixtures: one emulator per test session, a fresh small account per test, and TBA clients signed
by authlib (an OAuth 1.0a implementation independent of the emulator's)."""

import base64
import hashlib
import hmac

import warnings

import httpx
import pytest

with warnings.catch_warnings():
    warnings.simplefilter("ignore")  # authlib 1.9 warns that its httpx integration is deprecated
    from authlib.integrations.httpx_client import OAuth1Auth
from authlib.oauth1 import ClientAuth
from authlib.oauth1.rfc5849 import signature

from netsuite_emulator.testing import running_emulator

SMALL_SEED = {"customers": 6, "invoices": 30, "months": 4, "random_seed": 3}


def _hmac_sha256(client, request) -> str:
    base = signature.generate_signature_base_string(request)
    key = f"{signature.escape(client.client_secret or '')}&{signature.escape(client.token_secret or '')}"
    return base64.b64encode(hmac.new(key.encode(), base.encode(), hashlib.sha256).digest()).decode()


ClientAuth.register_signature_method("HMAC-SHA256", _hmac_sha256)


def tba_auth(credentials: dict, realm: str | None = None) -> OAuth1Auth:
    tba = credentials["tba"]
    return OAuth1Auth(tba["consumer_key"], tba["consumer_secret"], token=tba["token_id"],
                      token_secret=tba["token_secret"], signature_method="HMAC-SHA256",
                      realm=realm if realm is not None else credentials["account_id"],
                      force_include_body=True)  # without it authlib drops JSON bodies (jacobsvante's fix)


class NetSuite:
    """A tiny TBA client over the path-based (default) or host-based URL form."""

    def __init__(self, emulator, credentials: dict, host_based: bool = False, realm: str | None = None):
        self.account_id = credentials["account_id"]
        label = self.account_id.lower().replace("_", "-")
        headers = {"Host": f"{label}.suitetalk.api.netsuite.com"} if host_based else {}
        self.base = "/services/rest" if host_based else f"/accounts/{self.account_id}/services/rest"
        self.http = httpx.Client(base_url=emulator.url, auth=tba_auth(credentials, realm), headers=headers,
                                 timeout=30)
        self.advance_clock = lambda seconds: emulator.advance_clock(self.account_id, seconds)

    def request(self, method: str, path: str, **kwargs) -> httpx.Response:
        return self.http.request(method, self.base + path, **kwargs)

    def get(self, path: str, **kwargs) -> httpx.Response:
        return self.request("GET", path, **kwargs)

    def record(self, record_type: str, record_id, expand: bool = True) -> dict:
        response = self.get(f"/record/v1/{record_type}/{record_id}",
                            params={"expandSubResources": "true"} if expand else None)
        assert response.status_code == 200, response.text
        return response.json()

    def create(self, record_type: str, body: dict) -> str:
        response = self.request("POST", f"/record/v1/{record_type}", json=body)
        assert response.status_code == 204, response.text
        return response.headers["location"].rsplit("/", 1)[-1]

    def suiteql(self, query: str, limit: int = 1000, offset: int = 0) -> dict:
        response = self.request("POST", "/query/v1/suiteql", params={"limit": limit, "offset": offset},
                                json={"q": query}, headers={"Prefer": "transient"})
        assert response.status_code == 200, response.text
        return response.json()


@pytest.fixture(scope="session")
def emulator():
    with running_emulator() as running:
        yield running


@pytest.fixture
def credentials(emulator):
    return emulator.create_account(seed=SMALL_SEED, timezone="America/Los_Angeles")


@pytest.fixture
def ns(emulator, credentials):
    client = NetSuite(emulator, credentials)
    yield client
    client.http.close()


@pytest.fixture
def empty_credentials(emulator):
    """An account with reference data and two customers (ids 1, 2) but no transactions."""
    return emulator.create_account(seed={"customers": 2, "invoices": 0, "random_seed": 1})


@pytest.fixture
def blank(emulator, empty_credentials):
    client = NetSuite(emulator, empty_credentials)
    yield client
    client.http.close()


@pytest.fixture
def client_for(emulator):
    """A factory of TBA clients: client_for(credentials, host_based=False, realm=None)."""
    clients = []

    def make(credentials: dict, host_based: bool = False, realm: str | None = None) -> NetSuite:
        client = NetSuite(emulator, credentials, host_based, realm)
        clients.append(client)
        return client

    yield make
    for client in clients:
        client.http.close()


@pytest.fixture
def tba():
    """tba(credentials, realm=None) -> an authlib OAuth1Auth for httpx."""
    return tba_auth
