"""A member that loses a partition in a rebalance forgets the retry counts of its messages: they do
not pile up in memory, and when the partition comes back its messages start again from attempt 1.
The edges run in memory here (the rebalance listener is what aiokafka calls on a revocation)."""
from aiokafka import TopicPartition

from sb_runtime.kafka import ConsumerEdge, DeadLetters, Inbound, RevokedPartitions
from sb_runtime.kafka_batch import BatchEdge
from sb_runtime.testing import RecordingProducer


def message(partition: int, offset: int = 7) -> Inbound:
    return Inbound("test.revoked", partition, offset, b"k", b'{"n": 1}', {})


async def fails(*_) -> None:
    raise ValueError("no such customer")


async def attempt(edge, handle) -> None:
    try:
        await handle
    except ValueError:
        pass  # a retry: the consumer would seek back


async def test_the_single_message_edge_forgets_the_attempts_of_a_revoked_partition():
    producer = RecordingProducer()
    edge = ConsumerEdge(fails, DeadLetters(producer, "g"), max_attempts=2, base_backoff_s=0.0)
    for partition in (0, 1):
        await attempt(edge, edge.handle(message(partition)))
    await RevokedPartitions(edge).on_partitions_revoked({TopicPartition("test.revoked", 0)})

    await attempt(edge, edge.handle(message(0)))  # back again: attempt 1, retried
    await attempt(edge, edge.handle(message(1)))  # kept: attempt 2, dead-lettered
    assert [sent[2] for sent in producer.sent] == [b"k"] and len(producer.sent) == 1
    assert dict(producer.sent[0][3])["dlq.source.partition"] == b"1"


async def test_the_batch_edge_forgets_the_attempts_of_a_revoked_partition():
    producer = RecordingProducer()
    edge = BatchEdge(lambda inbound: inbound.value, fails, DeadLetters(producer, "g"), max_attempts=2,
                     base_backoff_s=0.0)
    for partition in (0, 1):
        await attempt(edge, edge.handle([message(partition)]))
    await RevokedPartitions(edge).on_partitions_revoked({TopicPartition("test.revoked", 0)})

    await attempt(edge, edge.handle([message(0)]))
    await attempt(edge, edge.handle([message(1)]))
    assert len(producer.sent) == 1
    assert dict(producer.sent[0][3])["dlq.source.partition"] == b"1"
