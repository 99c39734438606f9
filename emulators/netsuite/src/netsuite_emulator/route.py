"""A matched NetSuite-facing route: its stats template, handler and what guards it."""

from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from starlette.requests import Request
from starlette.responses import Response

from netsuite_emulator.rec_shape import Ctx


@dataclass
class Route:
    template: str
    handler: Callable[[Ctx, Request], Awaitable[Response]]
    is_write: bool
    scope: str    # OAuth 2.0 scope needed: "rest_webservices" or "restlets"
    feature: str  # feature switch that must be on: "rest_web_services" or "bundle_installed"
