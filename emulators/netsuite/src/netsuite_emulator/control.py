"""The control surface under /_emulator/ (no auth; bind to loopback only)."""

import asyncio
import json

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from netsuite_emulator import clock, seed
from netsuite_emulator.accounts import Account, Registry, TbaCredentials, canonical_id
from netsuite_emulator.config import EmulatorConfig
from netsuite_emulator.errors import NetSuiteError
from netsuite_emulator.rec_invoice import void
from netsuite_emulator.rec_shape import Ctx
from netsuite_emulator.routing import Target
from netsuite_emulator.store import Store

CREATE_OPTIONS = {"account_id", "seed", "tba", "now"}


def _error(status: int, message: str) -> JSONResponse:
    return JSONResponse({"error": message}, status)


async def _json_body(request: Request) -> dict:
    raw = await request.body()
    return json.loads(raw) if raw.strip() else {}


def build_account(registry: Registry, config: EmulatorConfig, body: dict) -> tuple[Account, dict]:
    account_id = canonical_id(body.get("account_id") or registry.new_id())
    if account_id in registry.accounts:
        raise ValueError(f"account {account_id} already exists")
    tba = TbaCredentials(**body["tba"]) if body.get("tba") else TbaCredentials.generate()
    invoices = int((body.get("seed") or {}).get("invoices", 0))
    on_disk = bool(body.get("on_disk")) or invoices > config.on_disk_threshold
    account = Account(account_id, Store(on_disk=on_disk), tba)
    if body.get("now"):
        account.clock.set(clock.parse_instant(body["now"]))
    settings = {key: value for key, value in body.items() if key not in CREATE_OPTIONS | {"on_disk"}}
    account.apply_settings(settings)
    summary = seed.populate(account.store, body.get("seed"), account.timezone, account.clock)
    return account, summary


def credentials(account: Account, config: EmulatorConfig) -> dict:
    return {"account_id": account.account_id, "tba": account.tba.as_dict(), "oauth2": config.integration(),
            "admin_user": {"entity": "-5", "role": "3"}}


class Control:
    def __init__(self, registry: Registry, config: EmulatorConfig):
        self.registry = registry
        self.config = config

    def _account(self, request: Request) -> Account:
        account = self.registry.find(request.path_params["account_id"])
        if account is None:
            raise KeyError(request.path_params["account_id"])
        return account

    async def create(self, request: Request) -> Response:
        try:
            body = await _json_body(request)
            account, summary = await asyncio.to_thread(build_account, self.registry, self.config, body)
        except (ValueError, TypeError) as error:
            return _error(400, str(error))
        if account.account_id in self.registry.accounts:
            account.store.close()
            return _error(409, f"account {account.account_id} already exists")
        self.registry.add(account)
        return JSONResponse({**credentials(account, self.config), "seeded": summary}, 201)

    async def show(self, request: Request) -> Response:
        account = self._account(request)
        storage = {"on_disk": account.store.directory is not None, "size_bytes": account.store.size_bytes()}
        return JSONResponse({**account.settings(), "records": account.store.record_counts(), "storage": storage,
                             "credentials": credentials(account, self.config)})

    async def patch(self, request: Request) -> Response:
        account = self._account(request)
        try:
            account.apply_settings(await _json_body(request))
        except (ValueError, TypeError) as error:
            return _error(400, str(error))
        return JSONResponse(account.settings())

    async def stats(self, request: Request) -> Response:
        account = self._account(request)
        return JSONResponse(account.stats.as_dict(account.store.record_counts()))

    async def reset_stats(self, request: Request) -> Response:
        self._account(request).stats.reset()
        return Response(status_code=204)

    async def void_invoice(self, request: Request) -> Response:
        account = self._account(request)
        origin = f"{request.url.scheme}://{request.headers.get('host', '')}"
        ctx = Ctx(account, Target(account.account_id, "rest", "", origin, f"/accounts/{account.account_id}"))
        try:
            with account.store.write():
                void(ctx, int(request.path_params["invoice_id"]))
        except NetSuiteError as error:
            return error.response()
        return Response(status_code=204)

    async def clock(self, request: Request) -> Response:
        """GET: the account's now. POST {"now": ISO instant} sets it; {"advance_s": n} moves it on."""
        account = self._account(request)
        if request.method == "POST":
            body = await _json_body(request)
            try:
                if "now" in body:
                    account.clock.set(clock.parse_instant(body["now"]))
                if "advance_s" in body:
                    account.clock.advance(float(body["advance_s"]))
            except (ValueError, TypeError) as error:
                return _error(400, str(error))
        return JSONResponse({"now": clock.iso_instant(account.clock.now()),
                             "offset_s": round(account.clock.offset_s, 3)})

    async def revoke_tokens(self, request: Request) -> Response:
        self._account(request).revoke_tokens()
        return Response(status_code=204)

    async def reset(self, request: Request) -> Response:
        self.registry.drop_all()
        return Response(status_code=204)

    async def health(self, request: Request) -> Response:
        return JSONResponse({"status": "ok", "accounts": len(self.registry.accounts)})

    def app(self) -> Starlette:
        base = "/_emulator/accounts/{account_id}"
        routes = [
            Route("/_emulator/health", self.health), Route("/_emulator/reset", self.reset, methods=["POST"]),
            Route("/_emulator/accounts", self.create, methods=["POST"]),
            Route(base, self.show, methods=["GET"]), Route(base, self.patch, methods=["PATCH"]),
            Route(base + "/stats", self.stats), Route(base + "/stats/reset", self.reset_stats, methods=["POST"]),
            Route(base + "/invoices/{invoice_id:int}/void", self.void_invoice, methods=["POST"]),
            Route(base + "/revoke-tokens", self.revoke_tokens, methods=["POST"]),
            Route(base + "/clock", self.clock, methods=["GET", "POST"]),
        ]
        return Starlette(routes=routes, exception_handlers={KeyError: lambda request, error: _error(
            404, f"unknown account {error}")})
