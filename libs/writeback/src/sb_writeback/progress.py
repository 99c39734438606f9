"""Has a consumer group committed everything a topic held at a given moment?

End offsets come from ``sb_runtime.cluster.Cluster``, which knows the embedded broker's quirk (its
ListOffsets answers the last batch's *base* offset + 1). Committed offsets come from a consumer of
the group that never joins it. Used to know that a local copy built from a topic (the invoice map)
is complete, and by tests to know a replay is done.
"""
from __future__ import annotations

import asyncio
import time

from aiokafka import AIOKafkaConsumer, TopicPartition
from sb_runtime.cluster import Cluster


class GroupProgress:
    def __init__(self, bootstrap_servers: str, group_id: str) -> None:
        self._cluster = Cluster(bootstrap_servers)
        self._group = AIOKafkaConsumer(bootstrap_servers=bootstrap_servers, group_id=group_id,
                                       enable_auto_commit=False)
        self._lock = asyncio.Lock()
        self._last: tuple[float, str, bool] | None = None  # (check started, topic, result)

    async def start(self) -> None:
        await self._cluster.__aenter__()
        await self._group.start()

    async def stop(self) -> None:
        await self._group.stop()
        await self._cluster.__aexit__(None, None, None)

    async def wait_caught_up(self, topic: str, timeout_s: float, poll_s: float = 0.05) -> bool:
        """True once the group has committed up to the end offsets ``topic`` has now; False on timeout.

        Concurrent callers share checks: a check that started after a caller asked answers it too.
        """
        asked = time.monotonic()
        async with self._lock:
            if self._last is not None and self._last[0] >= asked and self._last[1] == topic:
                return self._last[2]
            started = time.monotonic()
            result = await self._check(topic, timeout_s, poll_s)
            self._last = (started, topic, result)
            return result

    async def _check(self, topic: str, timeout_s: float, poll_s: float) -> bool:
        partitions = await self._cluster.partitions(topic)
        end = await self._cluster.end_offsets(partitions)
        deadline = time.monotonic() + timeout_s
        while not await self._reached(end):
            if time.monotonic() > deadline:
                return False
            await asyncio.sleep(poll_s)
        return True

    async def _reached(self, end: dict[TopicPartition, int]) -> bool:
        waiting_for = [tp for tp, offset in end.items() if offset]
        if not waiting_for:
            return True
        # One OffsetFetch for all partitions (consumer.committed() asks one at a time).
        found = await self._group._coordinator.fetch_committed_offsets(waiting_for)  # noqa: SLF001
        return all(tp in found and found[tp].offset >= end[tp] for tp in waiting_for)
