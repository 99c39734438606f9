"""Kafka wiring: topic creation, a plain producer, and the consumer edge with its dead-letter topic.

The edge reads the original bytes of every message. Bytes that do not parse, violate the
contract or raise ``PermanentError`` go to ``<topic>.dlq`` with the reason and the source
partition/offset, and the partition moves on. Anything else is retried (nack → the consumer
seeks back) after a growing pause: transient trouble (``errors.is_transient``: a ``TransientError``,
the database, the broker, the network) for as long as it lasts; any other failure that repeats
``max_attempts`` times is dead-lettered, so one bad message cannot stop a partition for ever.
The attempts are counted per message in memory and forgotten with the partition when a rebalance
revokes it (``RevokedPartitions``): the member that gets it next counts from 1.
"""
from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from typing import Any
from datetime import UTC, datetime

from aiokafka import AIOKafkaProducer, ConsumerRebalanceListener, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from aiokafka.errors import TopicAlreadyExistsError
from faststream import AckPolicy
from faststream.kafka import KafkaBroker
from faststream.kafka.annotations import KafkaMessage

from sb_runtime.errors import DeadLetter, RetryPolicy, classify
from sb_runtime.logging import bind_unit_of_work, get_logger

log = get_logger(__name__)

DLQ_SUFFIX = ".dlq"


def dlq_topic(topic: str) -> str:
    return topic + DLQ_SUFFIX


async def ensure_topics(bootstrap_servers: str, topics: dict[str, int], max_message_bytes: int | None = None) -> None:
    """Create the topics (name → partitions) that do not exist yet, with an explicit ``max.message.bytes``
    when given (topics that exist keep theirs: change it with ``kafka-configs``, see docs/operations.md)."""
    configs = {"max.message.bytes": str(max_message_bytes)} if max_message_bytes else {}
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap_servers)
    await admin.start()
    try:
        existing = set(await admin.list_topics())
        missing = [NewTopic(name, partitions, 1, topic_configs=configs)
                   for name, partitions in topics.items() if name not in existing]
        if missing:
            try:
                await admin.create_topics(missing)
            except TopicAlreadyExistsError:
                pass
    finally:
        await admin.close()


def new_producer(bootstrap_servers: str) -> AIOKafkaProducer:
    # acks=all and no idempotence: the embedded broker lacks InitProducerId; consumers dedupe.
    return AIOKafkaProducer(bootstrap_servers=bootstrap_servers, acks="all", linger_ms=5,
                            enable_idempotence=False, max_request_size=8 * 1024 * 1024)


@dataclass(frozen=True)
class Inbound:
    """What the edge knows about a message besides its payload."""

    topic: str
    partition: int
    offset: int
    key: bytes | None
    value: bytes
    headers: dict[str, bytes]


class DeadLetters:
    """Publishes failed messages to ``<topic>.dlq`` keeping the original bytes."""

    def __init__(self, producer: AIOKafkaProducer, consumer: str):
        self._producer = producer
        self._consumer = consumer
        self.count = 0

    async def send(self, message: Inbound, reason: str) -> None:
        headers = dict(message.headers)
        headers.update({
            "dlq.reason": reason[:4000].encode(),
            "dlq.source.topic": message.topic.encode(),
            "dlq.source.partition": str(message.partition).encode(),
            "dlq.source.offset": str(message.offset).encode(),
            "dlq.consumer": self._consumer.encode(),
            "dlq.failed_at": datetime.now(UTC).isoformat().encode(),
        })
        await self._producer.send_and_wait(dlq_topic(message.topic), message.value, key=message.key,
                                           headers=list(headers.items()))
        self.count += 1
        log.warning("message.dead_lettered", topic=message.topic, partition=message.partition,
                    offset=message.offset, reason=reason[:500])


Process = Callable[[Inbound], Awaitable[None]]


class ConsumerEdge:
    """Runs ``process`` for one message and does what ``errors.classify`` decides: ack, dead-letter, or retry."""

    def __init__(self, process: Process, dead_letters: DeadLetters, max_attempts: int = 8,
                 base_backoff_s: float = 0.2, max_backoff_s: float = 10.0):
        self._process = process
        self._dead_letters = dead_letters
        self._policy = RetryPolicy(max_attempts, base_backoff_s, max_backoff_s)
        self._attempts: dict[tuple[str, int, int], int] = {}

    async def handle(self, message: Inbound) -> None:
        bind_unit_of_work(topic=message.topic, partition=message.partition, offset=message.offset)
        position = (message.topic, message.partition, message.offset)
        try:
            await self._process(message)
        except Exception as error:
            attempts = self._attempts.get(position, 0) + 1
            decision = classify(error, attempts, self._policy)
            if isinstance(decision, DeadLetter):
                self._attempts.pop(position, None)
                await self._dead_letters.send(message, decision.reason)
                return
            self._attempts[position] = attempts
            log.warning("message.retry", attempt=attempts, error=f"{type(error).__name__}: {error}")
            await asyncio.sleep(decision.backoff_s)
            raise
        self._attempts.pop(position, None)

    def forget(self, partitions: Iterable[TopicPartition]) -> None:
        forget_attempts(self._attempts, partitions)


def forget_attempts(attempts: dict[tuple[str, int, int], int], partitions: Iterable[TopicPartition]) -> None:
    """Drop the counts of messages in ``partitions`` (topic, partition, offset -> attempts)."""
    gone = {(tp.topic, tp.partition) for tp in partitions}
    for position in [position for position in attempts if position[:2] in gone]:
        del attempts[position]


class RevokedPartitions(ConsumerRebalanceListener):
    """Tells ``edge`` which partitions this member lost in a rebalance, so it forgets their attempts."""

    def __init__(self, edge: Any):
        self._edge = edge

    async def on_partitions_revoked(self, revoked: set[TopicPartition]) -> None:
        self._edge.forget(revoked)

    async def on_partitions_assigned(self, assigned: set[TopicPartition]) -> None:
        pass


def inbound(msg: KafkaMessage) -> Inbound:
    raw = msg.raw_message
    return Inbound(raw.topic, raw.partition, raw.offset, raw.key, raw.value or b"",
                   {k: v for k, v in (raw.headers or ())})


def subscribe(broker: KafkaBroker, topics: str | list[str], group_id: str, edge: ConsumerEdge, **options) -> Any:
    """Register ``edge`` on ``topics`` as ONE consumer of ``group_id``: manual commits,
    NACK_ON_ERROR (never at-most-once). One consumer per group keeps start-up to a single
    group join (each join costs seconds on the embedded broker)."""
    names = [topics] if isinstance(topics, str) else list(topics)

    async def on_message(msg: KafkaMessage) -> None:
        await edge.handle(inbound(msg))

    on_message.__name__ = f"on_{group_id.replace('-', '_')}"
    options.setdefault("auto_offset_reset", "earliest")
    subscriber = broker.subscriber(*names, group_id=group_id, ack_policy=AckPolicy.NACK_ON_ERROR,
                                   listener=RevokedPartitions(edge), **options)
    subscriber(on_message)
    return subscriber


def by_topic(processes: dict[str, Process]) -> Process:
    """One process function that dispatches to the one registered for the message's topic."""

    async def dispatch(message: Inbound) -> None:
        await processes[message.topic](message)

    return dispatch
