"""The NetSuite-facing surface: finds the account and the route, then runs the request through
governance (concurrency, latency, injected faults), authentication and feature switches."""

from starlette.requests import Request
from starlette.responses import Response

from netsuite_emulator import governance, oauth2_page, rest_routes, restlet, routing
from netsuite_emulator.accounts import Account, Registry
from netsuite_emulator.auth import authenticate
from netsuite_emulator.config import EmulatorConfig
from netsuite_emulator.errors import NetSuiteError
from netsuite_emulator.oauth2 import OAuth2Service
from netsuite_emulator.rec_shape import Ctx
from netsuite_emulator.route import Route

DROPPED = object()


class Facade:
    def __init__(self, registry: Registry, config: EmulatorConfig, oauth2: OAuth2Service):
        self.registry = registry
        self.config = config
        self.oauth2 = oauth2

    async def handle(self, request: Request):
        target = routing.resolve(request)
        if target is None:
            return NetSuiteError(404, "NONEXISTENT_ID", "The requested resource was not found.").response()
        account = self.registry.find(target.account_key)
        if account is None:
            return NetSuiteError(404, "NONEXISTENT_ID", f"Unknown account '{target.account_key}'.").response()
        if target.service == "authorize":
            return await oauth2_page.authorize(request, account, self.config, self.oauth2.codes)
        if target.service == "rest":
            special = await self._unguarded(request, account, target.subpath)
            if special is not None:
                return special
        try:
            route = rest_routes.match(request.method, target.subpath) if target.service == "rest" \
                else restlet.match(request)
        except NetSuiteError as error:
            script = request.query_params.get("script", "")
            where = f"restlet:{script}" if target.service == "restlet" else target.subpath
            account.stats.count_request(f"{request.method} {where}")
            return self._finish(account, error.response())
        return await self._governed(request, account, target, route)

    async def _unguarded(self, request: Request, account: Account, subpath: str):
        if request.method == "OPTIONS":
            return Response(status_code=204)
        if subpath == "/auth/oauth2/v1/token" and request.method == "POST":
            account.stats.count_request("POST /auth/oauth2/v1/token")
            return self._finish(account, await self.oauth2.token(request, account))
        if subpath == "/auth/oauth2/v1/revoke" and request.method == "POST":
            account.stats.count_request("POST /auth/oauth2/v1/revoke")
            return self._finish(account, await self.oauth2.revoke(request, account))
        return None

    async def _governed(self, request: Request, account: Account, target, route: Route):
        account.stats.count_request(route.template)
        try:
            restlet_call = target.service == "restlet"
            async with governance.slot(account, restlet_call):
                await governance.delay(account)
                governance.maybe_fail(account, restlet_call)
                await authenticate(request, account, self.oauth2, route.scope, self.config.tba_timestamp_tolerance_s)
                self._check_feature(account, route)
                ctx = Ctx(account, target, dict(request.query_params))
                response = await route.handler(ctx, request)
                if route.is_write and response.status_code < 300:
                    governance.maybe_lose_response(account)
        except NetSuiteError as error:
            response = error.response()
        except governance.DropConnection:
            account.stats.count_status("dropped")
            return DROPPED
        return self._finish(account, response)

    @staticmethod
    def _check_feature(account: Account, route: Route) -> None:
        if account.features[route.feature]:
            return
        if route.feature == "bundle_installed":
            raise restlet.missing_script()
        raise NetSuiteError(403, "FEATURE_DISABLED",
                            "The feature 'REST Web Services' is not enabled in your NetSuite account. "
                            "Enable it at Setup > Company > Enable Features > SuiteCloud.")

    @staticmethod
    def _finish(account: Account, response: Response) -> Response:
        account.stats.count_status(response.status_code)
        return response
