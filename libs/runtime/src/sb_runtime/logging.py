"""structlog configured once: JSON off a TTY, contextvars for tenant_id/event_id, stdlib bridged."""
from __future__ import annotations

import logging
import sys
from typing import Any

import structlog

_SECRET_KEYS = ("token", "secret", "password", "authorization", "code_verifier")


def _redact_secrets(_: Any, __: str, event: dict[str, Any]) -> dict[str, Any]:
    """Last line of defence: a key that names a secret never reaches the output."""
    for key in list(event):
        if any(part in key.lower() for part in _SECRET_KEYS) and key != "event":
            event[key] = "[redacted]"
    return event


class _CurrentStdout(logging.StreamHandler):
    """Writes to whatever ``sys.stdout`` is at emit time (pytest swaps it per test)."""

    def __init__(self) -> None:
        super().__init__(sys.stdout)

    @property
    def stream(self):  # type: ignore[override]
        return sys.stdout

    @stream.setter
    def stream(self, _value) -> None:
        pass


def configure_logging(service: str, level: str = "info", json: bool | None = None) -> None:
    """Configure structlog and route stdlib logging (aiokafka, uvicorn, faststream) through it."""
    use_json = (not sys.stdout.isatty()) if json is None else json
    shared: list[Any] = [
        structlog.contextvars.merge_contextvars,
        structlog.processors.add_log_level,
        structlog.processors.TimeStamper(fmt="iso", utc=True),
        _redact_secrets,
    ]
    renderer = structlog.processors.JSONRenderer() if use_json else structlog.dev.ConsoleRenderer()
    structlog.configure(
        processors=[*shared, structlog.stdlib.ProcessorFormatter.wrap_for_formatter],
        logger_factory=structlog.stdlib.LoggerFactory(),
        wrapper_class=structlog.stdlib.BoundLogger,
        cache_logger_on_first_use=True,
    )
    formatter = structlog.stdlib.ProcessorFormatter(
        foreign_pre_chain=shared,
        processors=[structlog.stdlib.ProcessorFormatter.remove_processors_meta, renderer],
    )
    handler = _CurrentStdout()
    handler.setFormatter(formatter)
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
    for noisy in ("aiokafka", "kafka", "uvicorn.access", "httpx"):
        logging.getLogger(noisy).setLevel(max(logging.WARNING, root.level))
    structlog.contextvars.clear_contextvars()
    structlog.contextvars.bind_contextvars(service=service)


def bind_unit_of_work(**values: Any) -> None:
    """Start a unit of work: drop the previous message's context, keep the service name."""
    service = structlog.contextvars.get_contextvars().get("service")
    structlog.contextvars.clear_contextvars()
    structlog.contextvars.bind_contextvars(service=service, **values)


def get_logger(name: str | None = None) -> Any:
    return structlog.get_logger(name)
