"""Topic names as deployed: the contract name plus an optional suffix (isolated test runs, canaries)."""
from __future__ import annotations

from dataclasses import dataclass, replace

from sb_runtime.outbox import OutboundMessage, from_event


@dataclass(frozen=True)
class TopicNames:
    suffix: str = ""

    def __call__(self, topic: str) -> str:
        return topic + self.suffix

    def contract(self, deployed: str) -> str:
        """The contract topic name of a deployed one (what ``contracts.registry.decode`` expects)."""
        if self.suffix and deployed.endswith(self.suffix):
            return deployed[: len(deployed) - len(self.suffix)]
        return deployed

    def outbound(self, event) -> OutboundMessage:
        message = from_event(event)
        return replace(message, topic=self(message.topic))


def consumer_group(base: str, topic: str, main_topic: str) -> str:
    """One consumer group per subscription, so a member joining one never pauses the others for a
    rebalance; the service's main topic keeps the plain name (``payment-reconciler``), the others
    get a suffix (``payment-reconciler.invoices``)."""
    return base if topic == main_topic else f"{base}.{topic.split('.')[1]}"
