"""What each command does, step by step, with its output. The CLI parses; the modules do the work."""
from __future__ import annotations

import asyncio
import time
from datetime import date

import typer

from sb_ops import catalog, connector, dlq, effects, views
from sb_ops import migrate as migrations
from sb_ops import replay as replaying
from sb_ops import status as statuses
from sb_runtime.cluster import Cluster, TopicNotFound
from sb_ops.config import Endpoints

console = views.console


def _cluster(endpoints: Endpoints) -> Cluster:
    return Cluster(endpoints.require("kafka_bootstrap_servers"), session_timeout_ms=endpoints.session_timeout_ms())


async def replay(endpoints: Endpoints, topic: str, service: str | None, group: str | None, schema: str | None,
                 to_offset: int | None, to_time: str | None, to_earliest: bool, yes: bool, watch: bool,
                 watch_timeout: float, accounts: tuple[str, ...]) -> None:
    target = replaying.Target.from_options(to_offset, to_time, to_earliest)
    group, schema = _group_and_schema(topic, service, group, schema)
    async with _cluster(endpoints) as cluster:
        plan = await replaying.plan(cluster, group, topic, target)
        console.print(views.replay_plan(plan))
        if not yes and not typer.confirm(f"Rewind group {group} on {topic}?"):
            raise typer.Exit(1)
        before = None
        if watch and schema:
            before = await effects.snapshot(endpoints.require("database_url"), schema,
                                            endpoints.netsuite_emulator_url, accounts)
        dead_before = await _dead_letters(cluster, topic)
        how = await replaying.rewind(cluster, plan, note=lambda text: console.print(f"[dim]{text}[/dim]"))
        console.print(f"rewound {group} on {topic} ({how}); {plan.rereads} message(s) will be re-read "
                      "when the service starts")
        if watch:
            await _watch(cluster, plan, watch_timeout)
            dead = await _dead_letters(cluster, topic) - dead_before
            if dead:
                console.print(f"{dead} poison message(s) in the range were dead-lettered again (same source "
                              "positions; `dlq redrive --all` skips such copies)")
            if before is not None:
                found = await effects.measure(endpoints.require("database_url"), schema, before,
                                              endpoints.netsuite_emulator_url, accounts)
                console.print(views.effects(found))
                console.print("[green]no new effects[/green]" if found.none else
                              "[yellow]new effects: were these messages never applied before, or is live "
                              "traffic flowing?[/yellow]")


async def _dead_letters(cluster: Cluster, topic: str) -> int:
    try:
        partitions = await cluster.partitions(dlq.dlq_name(topic), wait_s=0.5)
    except TopicNotFound:
        return 0
    return sum((await cluster.end_offsets(partitions)).values())


def _group_and_schema(topic: str, service: str | None, group: str | None,
                      schema: str | None) -> tuple[str, str | None]:
    if service:
        known = catalog.service(service)
        if topic not in known.subscribes:
            raise ValueError(f"{service} does not consume {topic}; it consumes {', '.join(known.subscribes)}")
        return group or known.group_for(topic), schema or known.schema
    if not group:
        raise ValueError("give --service (or --group for a consumer of your own)")
    return group, schema


async def _watch(cluster: Cluster, plan: replaying.ReplayPlan, timeout_s: float) -> None:
    deadline = time.monotonic() + timeout_s
    with views.progress() as bar:
        task = bar.add_task(f"waiting for {plan.group} to re-read", total=plan.rereads)
        while not await replaying.caught_up(cluster, plan):
            bar.update(task, completed=await replaying.progress(cluster, plan))
            if time.monotonic() > deadline:
                raise ValueError(f"{plan.group} did not catch up within {timeout_s:.0f}s: is the service running?")
            await asyncio.sleep(0.5)
        bar.update(task, completed=plan.rereads)
    console.print(f"{plan.group} caught up: {plan.rereads} message(s) re-read")


async def dlq_list(endpoints: Endpoints, topic: str | None) -> None:
    async with _cluster(endpoints) as cluster:
        names = [dlq.dlq_name(topic)] if topic else await cluster.dlq_topics()
        shown = 0
        for name in names:
            letters = await dlq.read(cluster, name)
            if not letters:
                continue
            redriven = await dlq.redriven(endpoints.database_url, name) if endpoints.database_url else {}
            console.print(views.letters(name, letters, redriven))
            shown += len(letters)
        console.print(f"{shown} dead letter(s) on {len(names)} DLQ topic(s)")


async def dlq_show(endpoints: Endpoints, topic: str, partition: int, offset: int) -> None:
    name = dlq.dlq_name(topic)
    async with _cluster(endpoints) as cluster:
        letter = await dlq.show(cluster, name, partition, offset)
    redriven = await dlq.redriven(endpoints.database_url, name) if endpoints.database_url else {}
    views.letter(letter, redriven.get((partition, offset)))


async def dlq_redrive(endpoints: Endpoints, topic: str, offsets: list[str], everything: bool, yes: bool) -> None:
    if bool(offsets) == everything:
        raise ValueError("give --offset (repeatable) or --all")
    name = dlq.dlq_name(topic)
    database_url = endpoints.require("database_url")
    only = None if everything else {_position(text) for text in offsets}
    async with _cluster(endpoints) as cluster:
        letters = await dlq.read(cluster, name, only=only)
        missing = (only or set()) - {(letter.partition, letter.offset) for letter in letters}
        if missing:
            raise dlq.NotFound(f"no dead letter at {', '.join(f'{name}/{p}/{o}' for p, o in sorted(missing))}")
        done = await dlq.redriven(database_url, name)
        sources = await dlq.redriven_sources(database_url, name) if everything else set()
        letters, skipped = dlq.choose(letters, done, sources, everything)
        for letter, why in skipped:
            console.print(f"[yellow]skipped[/yellow] {letter.position}: {why}")
        if not letters:
            console.print(f"redriven 0, skipped {len(skipped)} (already redriven)")
            return
        console.print(views.letters(name, letters, done))
        if not yes and not typer.confirm(f"Send {len(letters)} dead letter(s) back to their source topic?"):
            raise typer.Exit(1)
        with views.progress() as bar:
            task = bar.add_task("redriving", total=len(letters))
            result = await dlq.redrive(cluster, database_url, letters, on_sent=lambda *_: bar.advance(task))
    for letter in result.skipped:
        console.print(f"[yellow]skipped[/yellow] {letter.position}: redriven before")
    console.print(f"redriven {len(result.sent)}, skipped {len(result.skipped) + len(skipped)} (already redriven)")


def _position(text: str) -> tuple[int, int]:
    partition, _, offset = text.rpartition(":")
    return int(partition or 0), int(offset)


async def resync(endpoints: Endpoints, tenant: str, since: date | None) -> None:
    async with connector.Connector(endpoints.require("connector_url"), endpoints.require("admin_token")) as api:
        answer = await api.resync(tenant, since)
    console.print(f"resync of {tenant} accepted" + (f" from {since.isoformat()}" if since else "") + f": {answer}")


async def status(endpoints: Endpoints, groups: list[str], tenant_ids: list[str], per_partition: bool) -> None:
    if endpoints.connector_url and endpoints.admin_token:
        await _tenants(endpoints, tenant_ids)
    async with _cluster(endpoints) as cluster:
        wanted = await _groups(cluster, groups) if groups else None
        console.print(views.lags(await statuses.lags(cluster, wanted), per_partition))
        console.print(views.dead_letter_counts(await statuses.dead_letters(cluster, endpoints.database_url)))


async def _groups(cluster: Cluster, groups: list[str]) -> dict[str, tuple[str, ...]]:
    found = {}
    for text in groups:
        group, _, topics = text.partition("=")
        known = catalog.consumed_topics().get(group)
        found[group] = tuple(t for t in topics.split(",") if t) or known or await statuses.groups_on(cluster, group)
    return found


async def _tenants(endpoints: Endpoints, tenant_ids: list[str]) -> None:
    async with connector.Connector(endpoints.connector_url, endpoints.admin_token) as api:
        if not tenant_ids:
            try:
                tenant_ids = await api.tenant_ids()
            except connector.EndpointMissing as error:
                tenant_ids = [endpoints.demo_tenant] if endpoints.demo_tenant else []
                console.print(f"[yellow]{error}: pass --tenant to see tenants[/yellow]")
        rows = [await api.status(tenant_id) for tenant_id in tenant_ids]
    if rows:
        console.print(views.tenants(rows))


async def migrate(endpoints: Endpoints, services: list[str]) -> None:
    applied = await migrations.migrate(endpoints.require("database_url"), services or list(catalog.SERVICES))
    for schema, names in applied.items():
        console.print(f"{schema}: " + (", ".join(names) if names else "up to date"))
