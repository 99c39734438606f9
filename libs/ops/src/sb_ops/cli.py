"""``suitebridge``: the operator's command line (typer + rich). Thin: parse, call, render."""
from __future__ import annotations

import asyncio
import functools
from datetime import date
from pathlib import Path
from typing import Annotated

import typer

from sb_ops import config, views
from sb_ops.catalog import UnknownService
from sb_runtime.cluster import TopicNotFound
from sb_ops.connector import ConnectorError, EndpointMissing
from sb_ops.dlq import NotFound
from sb_ops.replay import GroupActive

app = typer.Typer(name="suitebridge", no_args_is_help=True, add_completion=False,
                  help="Operate suitebridge: replay topics, redrive dead letters, resync tenants, see status.")
dlq_app = typer.Typer(no_args_is_help=True, help="Dead letters: list, show, redrive.")
app.add_typer(dlq_app, name="dlq")

FAILURES = (config.MissingSetting, UnknownService, TopicNotFound, EndpointMissing, ConnectorError, NotFound,
            GroupActive, ValueError, LookupError)


def _run(command):
    """Run an async command; known failures print one clear line and exit 1 (2: endpoint missing)."""
    @functools.wraps(command)
    def wrapper(*args, **kwargs):
        try:
            return asyncio.run(command(*args, **kwargs))
        except FAILURES as error:
            views.console.print(f"[red]error:[/red] {error}")
            raise typer.Exit(2 if isinstance(error, (EndpointMissing, config.MissingSetting)) else 1) from None
    return wrapper


@app.callback()
def connection(
    ctx: typer.Context,
    stack: Annotated[Path, typer.Option(help="The stack manifest `make run` writes.")] = config.DEFAULT_STACK,
    bootstrap_servers: Annotated[str | None, typer.Option(help="Kafka bootstrap servers.")] = None,
    database_url: Annotated[str | None, typer.Option(help="PostgreSQL URL (service schemas, ops schema).")] = None,
    connector_url: Annotated[str | None, typer.Option(help="The connector's base URL.")] = None,
    admin_token: Annotated[str | None, typer.Option(help="The admin bearer token.")] = None,
    netsuite_emulator_url: Annotated[str | None, typer.Option(help="Emulator URL (counts NetSuite writes).")] = None,
) -> None:
    """Connection settings: flags, else SUITEBRIDGE_* variables, else --stack (.suitebridge/stack.json)."""
    ctx.obj = config.load(stack, kafka_bootstrap_servers=bootstrap_servers, database_url=database_url,
                          connector_url=connector_url, admin_token=admin_token,
                          netsuite_emulator_url=netsuite_emulator_url)


@app.command()
@_run
async def replay(
    ctx: typer.Context,
    topic: Annotated[str, typer.Option(help="The topic to replay.")],
    service: Annotated[str | None, typer.Option(help="connector, invoice-sync, payment-reconciler or deposit-writer.")]
    = None,
    group: Annotated[str | None, typer.Option(help="Consumer group (default: the service's).")] = None,
    schema: Annotated[str | None, typer.Option(help="Schema whose inbox/outbox rows count (default: the service's).")]
    = None,
    to_offset: Annotated[int | None, typer.Option(help="Rewind every partition to this offset.")] = None,
    to_time: Annotated[str | None, typer.Option(help="Rewind to the first message at/after this ISO time.")] = None,
    to_earliest: Annotated[bool, typer.Option("--to-earliest", help="Rewind to the start of the topic.")] = False,
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Do not ask for confirmation.")] = False,
    watch: Annotated[bool, typer.Option("--watch", help="Wait for the group to catch up; report the effects.")]
    = False,
    watch_timeout: Annotated[float, typer.Option(help="Seconds --watch waits for the catch-up.")] = 600.0,
    netsuite_account: Annotated[list[str] | None, typer.Option(help="Emulator account(s) whose writes count.")]
    = None,
) -> None:
    """Rewind a stopped service's consumer group on one topic; with --watch, report what the re-read changed."""
    from sb_ops import commands

    await commands.replay(ctx.obj, topic, service, group, schema, to_offset, to_time, to_earliest, yes, watch,
                          watch_timeout, tuple(netsuite_account or ()))


@dlq_app.command("list")
@_run
async def dlq_list(
    ctx: typer.Context,
    topic: Annotated[str | None, typer.Option(help="A source topic or its .dlq (default: every DLQ topic).")] = None,
) -> None:
    """Dead letters with their reasons, and whether they were redriven."""
    from sb_ops import commands

    await commands.dlq_list(ctx.obj, topic)


@dlq_app.command("show")
@_run
async def dlq_show(ctx: typer.Context, topic: str, partition: int, offset: int) -> None:
    """One dead letter in full: reason, source position, headers, key and payload."""
    from sb_ops import commands

    await commands.dlq_show(ctx.obj, topic, partition, offset)


@dlq_app.command("redrive")
@_run
async def dlq_redrive(
    ctx: typer.Context,
    topic: Annotated[str, typer.Option(help="A source topic or its .dlq.")],
    offset: Annotated[list[str] | None, typer.Option(help="OFFSET or PARTITION:OFFSET of a dead letter (repeatable).")]
    = None,
    all_: Annotated[bool, typer.Option("--all", help="Every dead letter of the topic not redriven yet.")] = False,
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Do not ask for confirmation.")] = False,
) -> None:
    """Send dead letters (original bytes and key) back to their source topic, each at most once."""
    from sb_ops import commands

    await commands.dlq_redrive(ctx.obj, topic, offset or [], all_, yes)


@app.command()
@_run
async def resync(
    ctx: typer.Context,
    tenant: Annotated[str, typer.Option(help="The tenant whose NetSuite window to re-read.")],
    since: Annotated[str | None, typer.Option(help="YYYY-MM-DD: re-read changes from this day on.")] = None,
) -> None:
    """Ask the connector to re-read a NetSuite window for one tenant (its budget and other tenants untouched)."""
    from sb_ops import commands

    await commands.resync(ctx.obj, tenant, date.fromisoformat(since) if since else None)


@app.command()
@_run
async def status(
    ctx: typer.Context,
    group: Annotated[list[str] | None, typer.Option(help="Only these consumer groups (GROUP or GROUP=TOPIC,TOPIC).")]
    = None,
    tenant: Annotated[list[str] | None, typer.Option(help="Tenants to show (default: the connector's list).")] = None,
    partitions: Annotated[bool, typer.Option("--partitions", help="One lag row per partition.")] = False,
) -> None:
    """Tenants and their connection state, consumer lag per group and partition, open action items, dead letters."""
    from sb_ops import commands

    await commands.status(ctx.obj, group or [], tenant or [], partitions)


@app.command()
@_run
async def migrate(
    ctx: typer.Context,
    service: Annotated[list[str] | None, typer.Option(help="Only these services (default: all).")] = None,
) -> None:
    """Apply every service's database migrations (and the ops schema); what the migration Job runs."""
    from sb_ops import commands

    await commands.migrate(ctx.obj, service or [])
