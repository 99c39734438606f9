"""Command line: ``python -m connector`` serves; ``python -m connector sync-status --tenant T`` follows
a tenant's initial sync with a progress bar (counts, phase and ETA from the status endpoint)."""
from __future__ import annotations

import json
import os
import time
from pathlib import Path

import httpx
import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

cli = typer.Typer(add_completion=False, help="suitebridge connector")
STACK = Path(".suitebridge/stack.json")


def _stack_defaults() -> dict:
    try:
        return json.loads(STACK.read_text())
    except (OSError, ValueError):
        return {}


def describe(state: dict) -> tuple[int, int, str]:
    """(records done, records in total, a one-line description) of a status answer."""
    progress = state.get("initial_sync") or {}
    done, total = int(progress.get("records_synced", 0)), int(progress.get("records_total", 0))
    phase = progress.get("phase", "-")
    eta = progress.get("eta_seconds")
    eta_text = "--" if eta is None else f"{int(eta) // 60}:{int(eta) % 60:02d}"
    text = (f"{state.get('status', '?')} · phase {phase} · invoices {progress.get('invoices_synced', 0)}/"
            f"{progress.get('invoices_total', 0)} · customers {progress.get('customers_synced', 0)} · ETA {eta_text}")
    return done, max(total, done), text


@cli.callback(invoke_without_command=True)
def main(context: typer.Context) -> None:
    if context.invoked_subcommand is None:
        serve()


@cli.command()
def serve() -> None:
    """Run the connector service until SIGINT/SIGTERM."""
    from sb_runtime.serve import run

    from connector.app import create_app
    from connector.settings import Settings

    settings = Settings()
    app = create_app(settings)
    internal = (app.state.internal_app, settings.internal_http_host, settings.internal_http_port) \
        if settings.internal_token.get_secret_value() else None
    run(app, settings.http_host, settings.http_port, settings.log_level, internal=internal)


@cli.command("rotate-keys")
def rotate_keys() -> None:
    """Re-encrypt stored NetSuite tokens with the first CONNECTOR_TOKEN_ENCRYPTION_KEYS key.

    Run once after every connector instance runs with the new key list; exit 1 when some
    tenant's tokens no configured key opens (those tenants must reconnect NetSuite).
    """
    import asyncio

    from connector.keys import rotate_keys as rotate
    from connector.settings import Settings

    rotated, unreadable = asyncio.run(rotate(Settings()))
    Console().print(f"re-encrypted the tokens of {rotated} tenant(s)")
    if unreadable:
        Console().print(f"[red]no configured key opens the tokens of: {', '.join(unreadable)}")
        raise typer.Exit(1)


@cli.command("sync-status")
def sync_status(tenant: str = typer.Option(..., help="tenant id"),
                url: str = typer.Option("", envvar="CONNECTOR_URL", help="connector base URL"),
                token: str = typer.Option("", envvar="CONNECTOR_TOKEN", help="admin or tenant token"),
                interval: float = typer.Option(1.0, help="seconds between status reads"),
                once: bool = typer.Option(False, help="print the status once and exit")) -> None:
    """Follow the initial sync of TENANT until it is done (exit 1 when the connection fails)."""
    stack = _stack_defaults()
    url = url or stack.get("connector_url") or "http://127.0.0.1:8000"
    token = token or stack.get("admin_token") or os.environ.get("CONNECTOR_ADMIN_TOKEN", "")
    console = Console()
    with httpx.Client(base_url=url, headers={"Authorization": f"Bearer {token}"}, timeout=10) as http:
        read = lambda: http.get(f"/v1/tenants/{tenant}/netsuite").raise_for_status().json()  # noqa: E731
        if once:
            console.print(describe(read())[2])
            return
        columns = (TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn())
        with Progress(*columns, console=console, transient=False) as progress:
            task = progress.add_task("waiting", total=None)
            while True:
                state = read()
                done, total, text = describe(state)
                progress.update(task, completed=done, total=total or None, description=text)
                if state.get("status") == "error":
                    progress.stop()
                    console.print(f"[red]{state.get('last_error')}")
                    raise typer.Exit(1)
                if state.get("status") == "connected":
                    progress.update(task, completed=total, total=total or 1)
                    return
                time.sleep(interval)
