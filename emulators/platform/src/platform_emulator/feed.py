"""Reading topics without a consumer group: every partition from offset 0 (no group join to wait for)."""
from __future__ import annotations

import asyncio
import time
from collections.abc import Callable

from aiokafka import AIOKafkaConsumer, TopicPartition
from contracts.envelope import Event
from contracts.registry import decode
from sb_runtime.logging import get_logger

log = get_logger(__name__)


async def assigned_consumer(bootstrap_servers: str, topic: str, timeout_s: float = 30.0) -> AIOKafkaConsumer:
    consumer = AIOKafkaConsumer(bootstrap_servers=bootstrap_servers, enable_auto_commit=False)
    await consumer.start()
    deadline = time.monotonic() + timeout_s
    while not (found := consumer.partitions_for_topic(topic)):
        if time.monotonic() > deadline:
            await consumer.stop()
            raise TimeoutError(f"topic {topic} has no partitions")
        await consumer._client.force_metadata_update()  # noqa: SLF001 - no public way to refresh
        await asyncio.sleep(0.1)
    partitions = [TopicPartition(topic, p) for p in sorted(found)]
    consumer.assign(partitions)
    await consumer.seek_to_beginning(*partitions)
    return consumer


async def at_end(consumer: AIOKafkaConsumer, end: dict[TopicPartition, int]) -> bool:
    """Has ``consumer`` reached the ``end`` offsets?

    The embedded broker (Tansu) reports the end of a partition as the last batch's base offset + 1,
    not the last record's offset + 1; callers therefore also wait for an empty fetch.
    """
    for partition, offset in end.items():
        if await consumer.position(partition) < offset:
            return False
    return True


def _decoded(topic: str, value: bytes | None) -> Event | None:
    try:
        return decode(topic, value or b"")
    except Exception as error:  # noqa: BLE001 - a message we cannot read is skipped, not fatal
        log.warning("feed.message_skipped", topic=topic, error=f"{type(error).__name__}: {error}"[:300])
        return None


class TopicFeed:
    """Follows ``topic`` from its beginning, handing every decodable event to ``on_event``.

    ``caught_up`` is set once everything that was on the topic at start has been handed over (the
    end offsets at start are reached and a fetch came back empty).
    """

    def __init__(self, bootstrap_servers: str, topic: str, on_event: Callable[[Event], None], follow: bool = True):
        self._bootstrap, self.topic, self._on_event, self._follow = bootstrap_servers, topic, on_event, follow
        self.caught_up = asyncio.Event()
        self._consumer: AIOKafkaConsumer | None = None
        self._task: asyncio.Task | None = None

    @property
    def error(self) -> BaseException | None:
        """Why the feed stopped following the topic, if it did."""
        if self._task is None or not self._task.done() or self._task.cancelled():
            return None
        return self._task.exception()

    async def start(self) -> None:
        self._consumer = await assigned_consumer(self._bootstrap, self.topic)
        self._task = asyncio.create_task(self._read(), name=f"feed:{self.topic}")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)
        if self._consumer is not None:
            await self._consumer.stop()

    async def _read(self) -> None:
        consumer = self._consumer
        partitions = list(consumer.assignment())
        end = await consumer.end_offsets(partitions)
        while self._follow or not self.caught_up.is_set():
            batch = await consumer.getmany(timeout_ms=300)
            for records in batch.values():
                for record in records:
                    event = _decoded(self.topic, record.value)
                    if event is not None:
                        self._on_event(event)
            if not batch and not self.caught_up.is_set() and await at_end(consumer, end):
                self.caught_up.set()


async def replay(bootstrap_servers: str, topic: str, on_event: Callable[[Event], None]) -> None:
    """Hand over everything on ``topic`` now, then stop."""
    feed = TopicFeed(bootstrap_servers, topic, on_event, follow=False)
    await feed.start()
    try:
        await feed._task  # noqa: SLF001 - our own task
    finally:
        await feed.stop()
