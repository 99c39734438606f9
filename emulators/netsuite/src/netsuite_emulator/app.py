"""Wiring: the ASGI app that sends /_emulator/* to the control surface and everything else to the
NetSuite facade. The facade is called with the server's own `receive`, so it can drop a connection."""

import logging

from starlette.requests import Request

from netsuite_emulator.accounts import Registry
from netsuite_emulator.config import EmulatorConfig
from netsuite_emulator.control import Control
from netsuite_emulator.facade import DROPPED, Facade
from netsuite_emulator.oauth2 import OAuth2Service

log = logging.getLogger("netsuite_emulator")


class EmulatorApp:
    def __init__(self, config: EmulatorConfig):
        self.config = config
        self.registry = Registry()
        self.oauth2 = OAuth2Service(config)
        self.facade = Facade(self.registry, config, self.oauth2)
        self.control = Control(self.registry, config).app()

    async def __call__(self, scope, receive, send):
        if scope["type"] == "lifespan":
            await self._lifespan(receive, send)
            return
        if scope["type"] != "http":
            return
        if scope["path"].startswith("/_emulator/"):
            await self.control(scope, receive, send)
            return
        response = await self.facade.handle(Request(scope, receive))
        if response is DROPPED:
            _drop(receive)
            return
        await response(scope, receive, send)

    @staticmethod
    async def _lifespan(receive, send):
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                await send({"type": "lifespan.shutdown.complete"})
                return


def _drop(receive) -> None:
    """Aborts the TCP connection without an HTTP response (uvicorn's cycle holds the transport)."""
    transport = getattr(getattr(receive, "__self__", None), "transport", None)
    if transport is None:
        raise RuntimeError("ambiguous write: connection dropped after commit")
    transport.abort()


def create_app(config: EmulatorConfig | None = None) -> EmulatorApp:
    return EmulatorApp(config or EmulatorConfig.from_env())
