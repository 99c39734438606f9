"""Run a service's ASGI app (HTTP + broker in its lifespan) until SIGINT/SIGTERM."""
from __future__ import annotations

import asyncio

import uvicorn


def run(app, host: str, port: int, log_level: str = "info", internal: tuple | None = None) -> None:
    """Serve ``app``; ``internal`` = (app, host, port) adds a second listener without a lifespan
    (service-to-service routes kept off the public port)."""
    config = uvicorn.Config(app, host=host, port=port, log_config=None, log_level=log_level.lower(),
                            lifespan="on", access_log=False)
    servers = [uvicorn.Server(config)]
    if internal is not None:
        internal_app, internal_host, internal_port = internal
        servers.append(uvicorn.Server(uvicorn.Config(internal_app, host=internal_host, port=internal_port,
                                                     log_config=None, log_level=log_level.lower(),
                                                     lifespan="off", access_log=False)))

    async def serve_all() -> None:
        tasks = [asyncio.create_task(server.serve()) for server in servers]
        await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
        for server in servers:  # a signal reaches one server's handler: stop them all
            server.should_exit = True
        await asyncio.gather(*tasks)

    asyncio.run(serve_all())
