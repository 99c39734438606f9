"""Rich rendering of the tool's results: tables and progress bars, nothing else."""
from __future__ import annotations

import json

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

console = Console(highlight=False)


def progress() -> Progress:
    return Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                    console=console, transient=False)


def replay_plan(plan) -> Table:
    table = Table(title=f"replay {plan.topic} for group {plan.group}")
    for column in ("partition", "committed", "rewind to", "end", "re-read"):
        table.add_column(column, justify="right")
    for row in plan.partitions:
        table.add_row(str(row.partition), _maybe(row.committed), str(row.target), str(row.end), str(row.rereads))
    table.add_row("all", "", "", "", str(plan.rereads), style="bold")
    return table


def effects(found) -> Table:
    table = Table(title="effects of the re-read messages (expected: none)")
    table.add_column("what")
    table.add_column("new", justify="right")
    table.add_row("inbox rows (events applied for the first time)", str(found.inbox_rows))
    table.add_row("outbox rows (events published)", str(found.outbox_rows))
    table.add_row("NetSuite writes (emulator)", _maybe(found.netsuite_writes, "not measured"))
    return table


def letters(dlq_topic: str, items, redriven: dict) -> Table:
    """Positions are partition:offset, on the DLQ topic and on the source topic."""
    source = items[0].source_topic if items else dlq_topic.removesuffix(".dlq")
    table = Table(title=f"dead letters on {dlq_topic} (source {source})")
    table.add_column("at", no_wrap=True)
    table.add_column("source", no_wrap=True)
    table.add_column("consumer")
    table.add_column("failed at")
    table.add_column("redriven")
    table.add_column("reason", overflow="fold", ratio=1)
    for item in items:
        when = redriven.get((item.partition, item.offset))
        table.add_row(f"{item.partition}:{item.offset}", f"{item.source_partition}:{_maybe(item.source_offset)}",
                      item.consumer or "", (item.failed_at or "")[:19].replace("T", " "),
                      when.isoformat(timespec="seconds")[:19].replace("T", " ") if when else "no", item.reason[:300])
    return table


def letter(item, redriven_at) -> None:
    console.print(f"[bold]{item.position}[/bold]  → {item.source_topic} partition {item.source_partition} "
                  f"offset {_maybe(item.source_offset)}")
    console.print(f"consumer: {item.consumer}   failed at: {item.failed_at}   "
                  f"redriven: {redriven_at.isoformat() if redriven_at else 'no'}")
    console.print(f"reason: {item.reason}")
    console.print(f"key: {item.key.decode(errors='replace') if item.key is not None else None}")
    for name, value in item.original_headers:
        console.print(f"header {name}: {value.decode(errors='replace')}")
    try:
        console.print_json(json.dumps(json.loads(item.value)))
    except ValueError:
        console.print(f"payload ({len(item.value)} bytes, not JSON): {item.value[:2000]!r}")


def lags(rows, per_partition: bool = False) -> Table:
    """One row per group and topic (the partitions that lag named), or one per partition."""
    table = Table(title="consumer lag" + (" per partition" if per_partition else ""))
    table.add_column("group", no_wrap=True)
    table.add_column("topic", no_wrap=True)
    if per_partition:
        for column in ("partition", "committed", "end", "lag"):
            table.add_column(column, justify="right")
        for row in rows:
            table.add_row(row.group, row.topic, str(row.partition), _maybe(row.committed), str(row.end), str(row.lag),
                          style="yellow" if row.lag else None)
        return table
    for column, justify in (("parts", "right"), ("lag", "right"), ("lagging", "left")):
        table.add_column(column, justify=justify)
    grouped: dict[tuple[str, str], list] = {}
    for row in rows:
        grouped.setdefault((row.group, row.topic), []).append(row)
    for (group, topic), parts in grouped.items():
        lag = sum(p.lag for p in parts)
        lagging = " ".join(f"p{p.partition}={p.lag}" for p in parts if p.lag)
        table.add_row(group, topic, str(len(parts)), str(lag), lagging or "-", style="yellow" if lag else None)
    return table


def dead_letter_counts(rows) -> Table:
    table = Table(title="dead letters")
    for column, justify in (("topic", "left"), ("total", "right"), ("redriven", "right"), ("waiting", "right")):
        table.add_column(column, justify=justify)
    for row in rows:
        table.add_row(row.topic, str(row.total), _maybe(row.redriven, "?"), _maybe(row.waiting, "?"),
                      style="red" if row.waiting else None)
    return table


def tenants(rows) -> Table:
    table = Table(title="tenants")
    for column in ("tenant", "status", "account", "last sync", "open action items", "last error"):
        table.add_column(column, overflow="fold")
    for row in rows:
        kinds = ", ".join(sorted({item.get("kind", "?") for item in row.action_items}))
        table.add_row(row.tenant_id, row.status, row.account_id or "", row.last_sync_at or "",
                      f"{len(row.action_items)}" + (f" ({kinds})" if kinds else ""), row.last_error or "")
    return table


def _maybe(value, missing: str = "-") -> str:
    return missing if value is None else str(value)
