"""Test helpers other projects import: start the emulator in-process and drive its control surface.

    from netsuite_emulator.testing import running_emulator

    with running_emulator() as ns:
        creds = ns.create_account(seed={"customers": 5, "invoices": 20})
        base = ns.rest_base(creds["account_id"])   # http://127.0.0.1:PORT/accounts/<id>/services/rest

`emulator(...)` is the same as an async context manager. The API of `RunningEmulator` is stable."""

import asyncio
from contextlib import asynccontextmanager, contextmanager

import httpx

from netsuite_emulator.config import EmulatorConfig
from netsuite_emulator.server import BackgroundServer


TEST_NOW = "2026-06-30T18:00:00Z"  # the "now" of every account a test creates, unless it chooses one


class RunningEmulator:
    def __init__(self, server: BackgroundServer):
        self._server = server
        self.url = server.url
        self.config = server.app.config
        self.oauth2 = self.config.integration()  # {"client_id", "client_secret", "redirect_uris"}
        self.app = server.app
        self._http = httpx.Client(base_url=self.url, timeout=600, verify=False)  # loopback, maybe self-signed

    def _call(self, method: str, path: str, json: dict | None = None) -> dict | None:
        response = self._http.request(method, path, json=json)
        if response.status_code >= 400:
            raise RuntimeError(f"{method} {path} -> {response.status_code}: {response.text}")
        return response.json() if response.content else None

    def create_account(self, **options) -> dict:
        """POST /_emulator/accounts; returns the credentials (account_id, tba, oauth2, admin_user).

        The account's clock starts at `TEST_NOW` unless `now` says otherwise (`now=None`: the
        machine's clock), so seeded books never depend on the day a test runs."""
        options.setdefault("now", TEST_NOW)
        if options["now"] is None:
            del options["now"]
        return self._call("POST", "/_emulator/accounts", options)

    def get_account(self, account_id: str) -> dict:
        return self._call("GET", f"/_emulator/accounts/{account_id}")

    def patch_account(self, account_id: str, **changes) -> dict:
        return self._call("PATCH", f"/_emulator/accounts/{account_id}", changes)

    def stats(self, account_id: str) -> dict:
        return self._call("GET", f"/_emulator/accounts/{account_id}/stats")

    def reset_stats(self, account_id: str) -> None:
        self._call("POST", f"/_emulator/accounts/{account_id}/stats/reset")

    def void_invoice(self, account_id: str, invoice_id) -> None:
        self._call("POST", f"/_emulator/accounts/{account_id}/invoices/{invoice_id}/void")

    def clock(self, account_id: str) -> str:
        """The account's now, as 'YYYY-MM-DDTHH:MM:SSZ'."""
        return self._call("GET", f"/_emulator/accounts/{account_id}/clock")["now"]

    def set_clock(self, account_id: str, now: str) -> str:
        return self._call("POST", f"/_emulator/accounts/{account_id}/clock", {"now": now})["now"]

    def advance_clock(self, account_id: str, seconds: float) -> str:
        """Moves the account's clock on: token expiry, lastModifiedDate and "today" follow."""
        return self._call("POST", f"/_emulator/accounts/{account_id}/clock", {"advance_s": seconds})["now"]

    def revoke_tokens(self, account_id: str) -> None:
        self._call("POST", f"/_emulator/accounts/{account_id}/revoke-tokens")

    def reset(self) -> None:
        self._call("POST", "/_emulator/reset")

    def account_url(self, account_id: str) -> str:
        return f"{self.url}/accounts/{account_id}"

    def rest_base(self, account_id: str) -> str:
        return f"{self.account_url(account_id)}/services/rest"

    def restlet_url(self, account_id: str) -> str:
        return f"{self.account_url(account_id)}/app/site/hosting/restlet.nl"

    def authorize_url(self, account_id: str) -> str:
        return f"{self.account_url(account_id)}/app/login/oauth2/authorize.nl"

    def token_url(self, account_id: str) -> str:
        return f"{self.rest_base(account_id)}/auth/oauth2/v1/token"

    def close(self) -> None:
        self._http.close()


def _config(options: dict) -> EmulatorConfig:
    keys = {"oauth_client_id", "oauth_client_secret", "oauth_redirect_uris", "tba_timestamp_tolerance_s",
            "on_disk_threshold"}
    unknown = set(options) - keys
    if unknown:
        raise TypeError(f"unknown emulator options: {sorted(unknown)}")
    return EmulatorConfig.from_env(**options)


@contextmanager
def running_emulator(tls_cert: str | None = None, tls_key: str | None = None, **options):
    """Starts uvicorn on a free 127.0.0.1 port in a background thread; yields a RunningEmulator."""
    server = BackgroundServer(_config(options), tls_cert, tls_key)
    server.start()
    emulator_handle = RunningEmulator(server)
    try:
        yield emulator_handle
    finally:
        emulator_handle.close()
        server.stop()


@asynccontextmanager
async def emulator(tls_cert: str | None = None, tls_key: str | None = None, **options):
    """Async variant of running_emulator (the server still runs in its own thread)."""
    server = BackgroundServer(_config(options), tls_cert, tls_key)
    await asyncio.to_thread(server.start)
    emulator_handle = RunningEmulator(server)
    try:
        yield emulator_handle
    finally:
        emulator_handle.close()
        await asyncio.to_thread(server.stop)
