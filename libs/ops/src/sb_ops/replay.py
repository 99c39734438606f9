"""Replay: move a stopped consumer group back on one topic, then watch it catch up.

Rewinding is only safe while the group has no live member: a running consumer keeps its position
in memory and would commit over ours. ``rewind`` therefore refuses when the group has members,
with one refinement for brokers that keep members of stopped consumers listed (Tansu 0.6 never
expires them): it joins the group itself on the topic; the broker drops members that do not
rejoin, so if after the join the group holds only us and we own every partition, nobody else is
alive and we commit the new offsets inside that generation. Otherwise we leave and refuse.
"""
from __future__ import annotations

import asyncio
import contextlib
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from aiokafka import AIOKafkaConsumer, TopicPartition
from aiokafka.errors import CommitFailedError, KafkaError
from aiokafka.structs import OffsetAndMetadata

from sb_runtime.cluster import Cluster


class GroupActive(Exception):
    """The consumer group has live members; stop the service before rewinding."""


@dataclass(frozen=True)
class Target:
    """Where to rewind to: ``offset`` (same number on every partition), ``time`` or ``earliest``."""

    kind: str
    offset: int | None = None
    when: datetime | None = None

    @classmethod
    def from_options(cls, to_offset: int | None, to_time: str | None, to_earliest: bool) -> Target:
        chosen = [o for o in (to_offset is not None, to_time is not None, to_earliest) if o]
        if len(chosen) != 1:
            raise ValueError("give exactly one of --to-offset, --to-time, --to-earliest")
        if to_offset is not None:
            if to_offset < 0:
                raise ValueError("--to-offset must be >= 0")
            return cls("offset", offset=to_offset)
        if to_time is not None:
            when = datetime.fromisoformat(to_time.replace("Z", "+00:00"))
            return cls("time", when=when if when.tzinfo else when.replace(tzinfo=UTC))
        return cls("earliest")


@dataclass(frozen=True)
class PartitionPlan:
    partition: int
    committed: int | None
    target: int
    end: int

    @property
    def rereads(self) -> int:
        """Messages the group will read again (0 when it had not got that far, or moves forward)."""
        return 0 if self.committed is None else max(0, self.committed - self.target)


@dataclass(frozen=True)
class ReplayPlan:
    group: str
    topic: str
    partitions: tuple[PartitionPlan, ...]

    @property
    def rereads(self) -> int:
        return sum(p.rereads for p in self.partitions)

    @property
    def offsets(self) -> dict[TopicPartition, int]:
        return {TopicPartition(self.topic, p.partition): p.target for p in self.partitions}


async def plan(cluster: Cluster, group: str, topic: str, target: Target) -> ReplayPlan:
    partitions = await cluster.partitions(topic)
    begins = await cluster.beginning_offsets(partitions)
    ends = await cluster.end_offsets(partitions)
    committed = await cluster.committed(group, partitions)
    if target.kind == "time":
        wanted = await cluster.offsets_at(partitions, target.when)
    elif target.kind == "offset":
        wanted = {tp: target.offset for tp in partitions}
    else:
        wanted = dict(begins)
    rows = tuple(PartitionPlan(tp.partition, committed[tp], min(max(wanted[tp], begins[tp]), ends[tp]), ends[tp])
                 for tp in partitions)
    return ReplayPlan(group, topic, rows)


async def rewind(cluster: Cluster, replay: ReplayPlan, join_timeout_s: float = 60.0,
                 note: Callable[[str], None] = lambda _: None) -> str:
    """Commit the plan's offsets for the group; returns how ("direct" or "joined"). Raises GroupActive."""
    state = await cluster.group_state(replay.group)
    if not state.has_members:
        with contextlib.suppress(CommitFailedError):
            await _commit_unjoined(cluster.bootstrap_servers, replay)
            return "direct"
        note("the broker refused a commit from outside the group; checking membership by joining it")
    else:
        note(f"group {replay.group} lists {len(state.members)} member(s); joining it to see whether they are alive")
    await _commit_joined(cluster, replay, join_timeout_s)
    return "joined"


async def _commit_unjoined(bootstrap: str, replay: ReplayPlan) -> None:
    """The standard reset: a consumer of the group that assigns partitions to itself and commits."""
    consumer = AIOKafkaConsumer(bootstrap_servers=bootstrap, group_id=replay.group, enable_auto_commit=False)
    await consumer.start()
    try:
        consumer.assign(list(replay.offsets))
        await consumer.commit({tp: OffsetAndMetadata(offset, "suitebridge replay")
                               for tp, offset in replay.offsets.items()})
    finally:
        await consumer.stop()


async def _commit_joined(cluster: Cluster, replay: ReplayPlan, timeout_s: float) -> None:
    client_id = f"suitebridge-replay-{uuid.uuid4().hex[:8]}"
    consumer = AIOKafkaConsumer(replay.topic, bootstrap_servers=cluster.bootstrap_servers, group_id=replay.group,
                                client_id=client_id, enable_auto_commit=False, auto_offset_reset="earliest",
                                max_poll_records=1, session_timeout_ms=cluster.session_timeout_ms,
                                heartbeat_interval_ms=cluster.session_timeout_ms // 3)
    await consumer.start()
    try:
        wanted = set(replay.offsets)
        deadline = time.monotonic() + timeout_s
        while not consumer.assignment() and time.monotonic() < deadline:
            await asyncio.sleep(0.1)
        state = await cluster.group_state(replay.group)
        mine = consumer._coordinator.member_id  # noqa: SLF001 - the id the broker gave us
        others = [m for m in state.members if not m.startswith(mine + "@")]
        if others or consumer.assignment() != wanted:
            raise GroupActive(f"consumer group {replay.group} has live members ({', '.join(others) or 'unknown'}); "
                              "stop the service (scale it to 0) and run replay again")
        try:
            await consumer.commit({tp: OffsetAndMetadata(o, "suitebridge replay") for tp, o in replay.offsets.items()})
        except (CommitFailedError, KafkaError) as error:
            raise GroupActive(f"consumer group {replay.group} rebalanced while rewinding ({error}); "
                              "is the service still running?") from error
    finally:
        await consumer.stop()


async def progress(cluster: Cluster, replay: ReplayPlan) -> int:
    """How many of the planned re-reads the group has committed past so far."""
    committed = await cluster.committed(replay.group, list(replay.offsets))
    done = 0
    for row in replay.partitions:
        position = committed[TopicPartition(replay.topic, row.partition)]
        if position is not None and row.rereads:
            done += max(0, min(position, row.committed) - row.target)
    return done


async def caught_up(cluster: Cluster, replay: ReplayPlan) -> bool:
    """True when the group committed at least up to where it stood before the rewind."""
    committed = await cluster.committed(replay.group, list(replay.offsets))
    return all(committed[TopicPartition(replay.topic, r.partition)] is not None
               and committed[TopicPartition(replay.topic, r.partition)] >= (r.committed or 0)
               for r in replay.partitions if r.rereads)
