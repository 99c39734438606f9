"""``suitebridge status``: consumer lag per group and partition, dead letters, tenants."""
from __future__ import annotations

from dataclasses import dataclass

import asyncpg
from aiokafka import TopicPartition

from sb_ops import catalog, ledger
from sb_runtime.cluster import DLQ_SUFFIX, Cluster, TopicNotFound


@dataclass(frozen=True)
class Lag:
    group: str
    topic: str
    partition: int
    committed: int | None
    end: int

    @property
    def lag(self) -> int:
        """Messages the group has not committed yet (all of them when it never committed)."""
        return self.end - (self.committed or 0)


@dataclass(frozen=True)
class DeadLetterCount:
    topic: str
    total: int
    redriven: int | None  # None: no database to ask

    @property
    def waiting(self) -> int | None:
        return None if self.redriven is None else max(0, self.total - self.redriven)


async def lags(cluster: Cluster, groups: dict[str, tuple[str, ...]] | None = None) -> list[Lag]:
    """Lag of each group on each of its topics; by default the services' groups and topics."""
    groups = groups if groups is not None else catalog.consumed_topics()
    rows: list[Lag] = []
    for group, topics in groups.items():
        partitions: list[TopicPartition] = []
        for topic in topics:
            try:
                partitions += await cluster.partitions(topic, wait_s=1.0)
            except TopicNotFound:
                continue
        committed = await cluster.committed(group, partitions)
        ends = await cluster.end_offsets(partitions)
        rows += [Lag(group, tp.topic, tp.partition, committed[tp], ends[tp]) for tp in partitions]
    return rows


async def groups_on(cluster: Cluster, group: str) -> tuple[str, ...]:
    """The (non dead-letter) topics on which ``group`` has committed offsets."""
    topics = [t for t in await cluster.topics() if not t.endswith(DLQ_SUFFIX) and not t.startswith("__")]
    partitions = [tp for topic in topics for tp in await cluster.partitions(topic, wait_s=1.0)]
    committed = await cluster.committed(group, partitions)
    return tuple(sorted({tp.topic for tp, offset in committed.items() if offset is not None}))


async def dead_letters(cluster: Cluster, database_url: str | None) -> list[DeadLetterCount]:
    redriven: dict[str, int] | None = None
    if database_url:
        connection = await asyncpg.connect(database_url)
        try:
            redriven = await ledger.counts(connection)
        finally:
            await connection.close()
    counts = []
    for topic in await cluster.dlq_topics():
        partitions = await cluster.partitions(topic)
        begins, ends = await cluster.beginning_offsets(partitions), await cluster.end_offsets(partitions)
        total = sum(ends[tp] - begins[tp] for tp in partitions)
        counts.append(DeadLetterCount(topic, total, None if redriven is None else redriven.get(topic, 0)))
    return counts
