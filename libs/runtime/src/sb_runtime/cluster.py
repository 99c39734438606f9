"""Kafka read-side helpers: partitions, offsets, committed offsets, group members (the ops tool, write-back progress).

Works on Apache Kafka and on the embedded Tansu 0.6 broker, whose gaps it steps around:
- the admin client's ``list_consumer_group_offsets`` cannot decode Tansu's OffsetFetch answer, so
  committed offsets are fetched through a (never joined) consumer of the group;
- Tansu's ListOffsets(latest) is the base offset of the last record batch + 1, so a batch of
  several records hides all but its first: the end offset is checked by reading that last batch;
- Tansu answers ``offsets_for_times`` past the last record with offset 0 and timestamp -1 instead
  of "none", so timestamp -1 is read as "none" (the end offset); and otherwise one record early,
  so the answer is checked by reading forward from it to the first record at or after the time.
"""
from __future__ import annotations

import asyncio
import contextlib
import time
from dataclasses import dataclass
from datetime import datetime

from aiokafka import AIOKafkaConsumer, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient

DLQ_SUFFIX = ".dlq"


class TopicNotFound(Exception):
    pass


@dataclass(frozen=True)
class GroupState:
    group: str
    state: str
    members: tuple[str, ...]  # "member_id@host"

    @property
    def has_members(self) -> bool:
        return bool(self.members)


class Cluster:
    """``async with Cluster(bootstrap) as cluster``: one admin client and one group-less consumer."""

    def __init__(self, bootstrap_servers: str, request_timeout_ms: int = 30_000, session_timeout_ms: int = 10_000):
        self.bootstrap_servers = bootstrap_servers
        self.session_timeout_ms = session_timeout_ms
        self._timeout_ms = request_timeout_ms
        self._admin: AIOKafkaAdminClient | None = None
        self._reader: AIOKafkaConsumer | None = None

    async def __aenter__(self) -> Cluster:
        self._admin = AIOKafkaAdminClient(bootstrap_servers=self.bootstrap_servers, request_timeout_ms=self._timeout_ms)
        await self._admin.start()
        self._reader = AIOKafkaConsumer(bootstrap_servers=self.bootstrap_servers, enable_auto_commit=False,
                                        request_timeout_ms=self._timeout_ms)
        await self._reader.start()
        return self

    async def __aexit__(self, *exc) -> None:
        with contextlib.suppress(Exception):
            await self._reader.stop()
        with contextlib.suppress(Exception):
            await self._admin.close()

    async def topics(self) -> list[str]:
        return sorted(await self._admin.list_topics())

    async def partitions(self, topic: str, wait_s: float = 5.0) -> list[TopicPartition]:
        deadline = time.monotonic() + wait_s
        while True:
            found = self._reader.partitions_for_topic(topic)
            if found:
                return [TopicPartition(topic, p) for p in sorted(found)]
            if time.monotonic() > deadline:
                raise TopicNotFound(f"topic {topic!r} does not exist")
            await self._reader._client.force_metadata_update()  # noqa: SLF001 - no public refresh
            await asyncio.sleep(0.1)

    async def end_offsets(self, partitions: list[TopicPartition]) -> dict[TopicPartition, int]:
        """The offset after the last record, checked by reading the last batch (see module docstring)."""
        if not partitions:
            return {}
        reported = await self._reader.end_offsets(partitions)
        return await self._past_last_batch(reported)

    async def _past_last_batch(self, reported: dict[TopicPartition, int]) -> dict[TopicPartition, int]:
        ends = dict(reported)
        pending = {tp for tp, end in reported.items() if end > 0}
        if not pending:
            return ends
        consumer = AIOKafkaConsumer(bootstrap_servers=self.bootstrap_servers, enable_auto_commit=False)
        await consumer.start()
        try:
            consumer.assign(list(pending))
            for tp in pending:
                consumer.seek(tp, reported[tp] - 1)
            while pending:
                batch = await consumer.getmany(*pending, timeout_ms=300)
                for tp in list(pending):
                    records = batch.get(tp)
                    if records:
                        ends[tp] = max(ends[tp], records[-1].offset + 1)
                    else:
                        pending.discard(tp)
        finally:
            await consumer.stop()
        return ends

    async def beginning_offsets(self, partitions: list[TopicPartition]) -> dict[TopicPartition, int]:
        return await self._reader.beginning_offsets(partitions) if partitions else {}

    async def offsets_at(self, partitions: list[TopicPartition], when: datetime) -> dict[TopicPartition, int]:
        """The first offset whose timestamp is at or after ``when``; the end offset when none is."""
        millis = int(when.timestamp() * 1000)
        found = await self._reader.offsets_for_times({tp: millis for tp in partitions})
        ends = await self.end_offsets(partitions)
        offsets = {tp: (hit.offset if hit is not None and hit.timestamp >= 0 else ends[tp])
                   for tp, hit in found.items()}
        return {tp: await self._first_at_or_after(tp, offset, millis, ends[tp]) for tp, offset in offsets.items()}

    async def _first_at_or_after(self, tp: TopicPartition, offset: int, millis: int, end: int) -> int:
        """Check the broker's answer by reading from it (Tansu 0.6 answers one record early)."""
        if offset >= end:
            return end
        consumer = AIOKafkaConsumer(bootstrap_servers=self.bootstrap_servers, enable_auto_commit=False,
                                    max_poll_records=50)
        await consumer.start()
        try:
            consumer.assign([tp])
            consumer.seek(tp, offset)
            while offset < end:
                records = (await consumer.getmany(tp, timeout_ms=2000)).get(tp, [])
                if not records:
                    break
                for record in records:
                    if record.timestamp >= millis:
                        return record.offset
                    offset = record.offset + 1
        finally:
            await consumer.stop()
        return offset

    async def committed(self, group: str, partitions: list[TopicPartition]) -> dict[TopicPartition, int | None]:
        """The group's committed offsets (None: nothing committed). Does not join the group."""
        if not partitions:
            return {}
        consumer = AIOKafkaConsumer(bootstrap_servers=self.bootstrap_servers, group_id=group,
                                    enable_auto_commit=False, request_timeout_ms=self._timeout_ms)
        await consumer.start()
        try:
            # One OffsetFetch for all partitions (consumer.committed() asks one partition at a time).
            found = await consumer._coordinator.fetch_committed_offsets(partitions)  # noqa: SLF001
        finally:
            await consumer.stop()
        return {tp: (found[tp].offset if tp in found and found[tp].offset >= 0 else None) for tp in partitions}

    async def groups(self) -> list[str]:
        return sorted(group for group, _ in await self._admin.list_consumer_groups())

    async def group_state(self, group: str) -> GroupState:
        response = await self._admin.describe_consumer_groups([group])
        for described in response[0].groups:
            _, name, state, _, _, members = described[:6]
            if name == group:
                return GroupState(group, state, tuple(f"{m[0]}@{m[2] or '?'}" for m in members))
        return GroupState(group, "Dead", ())

    async def dlq_topics(self) -> list[str]:
        return [t for t in await self.topics() if t.endswith(DLQ_SUFFIX)]
