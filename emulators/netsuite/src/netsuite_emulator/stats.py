"""Per-account request statistics served by the control surface."""

from collections import Counter
from dataclasses import dataclass, field


@dataclass
class Stats:
    requests: Counter = field(default_factory=Counter)
    status_counts: Counter = field(default_factory=Counter)
    max_in_flight: int = 0

    def count_request(self, template: str) -> None:
        self.requests[template] += 1

    def count_status(self, status: int) -> None:
        self.status_counts[str(status)] += 1

    def saw_in_flight(self, in_flight: int) -> None:
        self.max_in_flight = max(self.max_in_flight, in_flight)

    def reset(self) -> None:
        self.requests.clear()
        self.status_counts.clear()
        self.max_in_flight = 0

    def as_dict(self, records: dict) -> dict:
        return {"requests": dict(self.requests), "status_counts": dict(self.status_counts),
                "max_in_flight": self.max_in_flight, "records": records}
