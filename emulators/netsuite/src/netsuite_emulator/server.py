"""Runs the emulator with uvicorn: in the foreground (CLI) or in a background thread (tests)."""

import socket
import threading
import time

import uvicorn

from netsuite_emulator.app import EmulatorApp, create_app
from netsuite_emulator.config import EmulatorConfig


def _uvicorn_config(app: EmulatorApp, host: str, port: int, tls_cert: str | None, tls_key: str | None,
                    log_level: str) -> uvicorn.Config:
    return uvicorn.Config(app, host=host, port=port, lifespan="off", log_level=log_level, access_log=False,
                          ssl_certfile=tls_cert, ssl_keyfile=tls_key, timeout_keep_alive=30)


def serve(config: EmulatorConfig, host: str = "127.0.0.1", port: int = 8080, tls_cert: str | None = None,
          tls_key: str | None = None, log_level: str = "info") -> None:
    uvicorn.Server(_uvicorn_config(create_app(config), host, port, tls_cert, tls_key, log_level)).run()


class BackgroundServer:
    """uvicorn on a free loopback port in a daemon thread."""

    def __init__(self, config: EmulatorConfig, tls_cert: str | None = None, tls_key: str | None = None):
        self.app = create_app(config)
        # proto=IPPROTO_TCP so asyncio sets TCP_NODELAY on accepted connections (else ~40 ms Nagle stalls).
        self.socket = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
        self.socket.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.socket.bind(("127.0.0.1", 0))
        self.port = self.socket.getsockname()[1]
        self.scheme = "https" if tls_cert else "http"
        self.server = uvicorn.Server(_uvicorn_config(self.app, "127.0.0.1", self.port, tls_cert, tls_key, "warning"))
        self.thread = threading.Thread(target=self.server.run, kwargs={"sockets": [self.socket]}, daemon=True,
                                       name=f"netsuite-emulator-{self.port}")

    @property
    def url(self) -> str:
        return f"{self.scheme}://127.0.0.1:{self.port}"

    def start(self) -> None:
        self.thread.start()
        deadline = time.monotonic() + 20
        while not self.server.started:
            if not self.thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("the NetSuite emulator did not start")
            time.sleep(0.01)

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)
        self.app.registry.drop_all()
        self.socket.close()
