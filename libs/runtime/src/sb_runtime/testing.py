"""Helpers for tests that talk to the real broker and database (no mocks): read a topic, wait."""
from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from typing import Any

from aiokafka import AIOKafkaConsumer, TopicPartition


async def read_topic(bootstrap_servers: str, topic: str, *, at_least: int, timeout_s: float = 30.0) -> list[Any]:
    """All records of ``topic`` from offset 0, waiting until there are ``at_least`` (or timeout)."""
    consumer = AIOKafkaConsumer(bootstrap_servers=bootstrap_servers, enable_auto_commit=False)
    await consumer.start()
    records: list[Any] = []
    try:
        deadline = time.monotonic() + timeout_s
        partitions = None
        while partitions is None and time.monotonic() < deadline:
            found = consumer.partitions_for_topic(topic)
            if found:
                partitions = [TopicPartition(topic, p) for p in sorted(found)]
            else:
                await consumer._client.force_metadata_update()  # noqa: SLF001 - test helper
                await asyncio.sleep(0.1)
        if not partitions:
            return records
        consumer.assign(partitions)
        await consumer.seek_to_beginning(*partitions)
        while len(records) < at_least and time.monotonic() < deadline:
            batch = await consumer.getmany(timeout_ms=200)
            for part in batch.values():
                records.extend(part)
        # Drain what is already there beyond at_least, without waiting further.
        batch = await consumer.getmany(timeout_ms=100)
        for part in batch.values():
            records.extend(part)
    finally:
        await consumer.stop()
    return records


async def wait_until(condition: Callable[[], Awaitable[Any]], timeout_s: float = 30.0,
                     interval_s: float = 0.05, message: str = "condition") -> Any:
    """Poll ``condition`` until it returns something truthy; fail with ``message`` on timeout."""
    deadline = time.monotonic() + timeout_s
    while True:
        value = await condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout_s}s waiting for {message}")
        await asyncio.sleep(interval_s)
