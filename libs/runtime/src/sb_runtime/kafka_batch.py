"""Batch consumption: many messages per transaction, with ConsumerEdge's dead-letter rules per message.

``BatchEdge`` decodes every message of a batch on its own (``decode`` is pure: parse and validate,
no I/O); one that fails to decode goes to ``<topic>.dlq`` and the others carry on. The decoded
items are applied together. A transient failure (``errors.is_transient``: a ``TransientError`` or
infrastructure trouble — database, broker, network) retries the whole batch after a pause (nack: every
partition rewinds to the batch's first record; consumers dedupe on ``event_id``). Any other
failure splits the batch: items are applied one by one, so the single culprit is retried and
finally dead-lettered exactly like ``ConsumerEdge`` does, while its neighbours are applied.

``ServiceShell`` runs batch consumers on its one broker, next to the single-message ones (``Batch``).
"""
from __future__ import annotations

import asyncio
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from typing import Any

from faststream import AckPolicy
from faststream.kafka import KafkaBroker
from faststream.kafka.annotations import KafkaMessage

from sb_runtime.errors import DeadLetter, RetryPolicy, classify, is_transient
from sb_runtime.kafka import DeadLetters, Inbound, RevokedPartitions, forget_attempts
from sb_runtime.logging import bind_unit_of_work, get_logger

log = get_logger(__name__)

Decode = Callable[[Inbound], Any]
Apply = Callable[[list[Any]], Awaitable[None]]
Position = tuple[str, int, int]


class BatchEdge:
    """Runs ``apply`` for the decoded items of one batch and decides: ack, dead-letter, or retry."""

    def __init__(self, decode: Decode, apply: Apply, dead_letters: DeadLetters, max_attempts: int = 8,
                 base_backoff_s: float = 0.2, max_backoff_s: float = 10.0, remember: int = 10_000):
        self._decode = decode
        self._apply = apply
        self._dead_letters = dead_letters
        self._policy = RetryPolicy(max_attempts, base_backoff_s, max_backoff_s)
        self._attempts: dict[Position, int] = {}
        self._dead: OrderedDict[Position, None] = OrderedDict()  # not re-sent when a retry redelivers them
        self._remember = remember

    async def handle(self, messages: list[Inbound]) -> None:
        if not messages:
            return
        bind_unit_of_work(topic=messages[0].topic, batch_size=len(messages), first_offset=messages[0].offset)
        decoded = []
        for message in messages:
            if _position(message) in self._dead:
                continue
            try:
                decoded.append((message, self._decode(message)))
            except Exception as error:  # noqa: BLE001 - decoding is pure: whatever fails it is poison
                await self._dead_letter(message, f"{type(error).__name__}: {error}")
        if not decoded:
            return
        try:
            await self._apply([item for _, item in decoded])
        except Exception as error:  # noqa: BLE001 - transient: the batch again; else isolate the culprit below
            if is_transient(error):
                await self._retry_later(_position(decoded[0][0]), error)
                raise
            log.warning("batch.split", size=len(decoded), error=f"{type(error).__name__}: {error}")
            for message, item in decoded:
                await self._apply_one(message, item)
            return
        self._attempts.pop(_position(decoded[0][0]), None)

    async def _apply_one(self, message: Inbound, item: Any) -> None:
        position = _position(message)
        try:
            await self._apply([item])
        except Exception as error:
            decision = classify(error, self._attempts.get(position, 0) + 1, self._policy)
            if isinstance(decision, DeadLetter):
                self._attempts.pop(position, None)
                await self._dead_letter(message, decision.reason)
                return
            await self._retry_later(position, error)
            raise
        self._attempts.pop(position, None)

    def forget(self, partitions) -> None:
        """A rebalance revoked ``partitions``: their attempts are no longer this member's to count."""
        forget_attempts(self._attempts, partitions)

    async def _retry_later(self, position: Position, error: Exception) -> None:
        attempts = self._attempts[position] = self._attempts.get(position, 0) + 1
        log.warning("batch.retry", attempt=attempts, error=f"{type(error).__name__}: {error}")
        await asyncio.sleep(self._policy.backoff(attempts))

    async def _dead_letter(self, message: Inbound, reason: str) -> None:
        await self._dead_letters.send(message, reason)
        self._dead[_position(message)] = None
        while len(self._dead) > self._remember:
            self._dead.popitem(last=False)


def _position(message: Inbound) -> Position:
    return (message.topic, message.partition, message.offset)


def _inbound(record: Any) -> Inbound:
    return Inbound(record.topic, record.partition, record.offset, record.key, record.value or b"",
                   {k: v for k, v in (record.headers or ())})


async def _raw_body(_: Any) -> None:
    # The edge decodes the original bytes itself; skip faststream's JSON pass over every record.
    return None


def subscribe_batch(broker: KafkaBroker, topics: list[str], group_id: str, edge: BatchEdge, *,
                    max_records: int = 500, batch_timeout_ms: int = 50, **options) -> Any:
    """Register ``edge`` on ``topics`` as ONE batch consumer of ``group_id``: manual commits, NACK_ON_ERROR.

    One consumer per group: every member joining a group costs a rebalance (seconds on the
    embedded broker). A batch may hold records of several topics; ``Inbound.topic`` tells them apart.
    """

    async def on_batch(message: KafkaMessage) -> None:
        await edge.handle([_inbound(record) for record in message.raw_message])

    on_batch.__name__ = f"on_{group_id.replace('.', '_').replace('-', '_')}_batch"
    options.setdefault("auto_offset_reset", "earliest")
    subscriber = broker.subscriber(*topics, group_id=group_id, batch=True, max_records=max_records,
                                   batch_timeout_ms=batch_timeout_ms, ack_policy=AckPolicy.NACK_ON_ERROR,
                                   decoder=_raw_body, listener=RevokedPartitions(edge), **options)
    subscriber(on_batch)
    return subscriber
