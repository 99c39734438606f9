"""Run a service's ASGI app (HTTP + broker in its lifespan) until SIGINT/SIGTERM."""
from __future__ import annotations

import asyncio

import uvicorn


def run(app, host: str, port: int, log_level: str = "info") -> None:
    config = uvicorn.Config(app, host=host, port=port, log_config=None, log_level=log_level.lower(),
                            lifespan="on", access_log=False)
    asyncio.run(uvicorn.Server(config).serve())
