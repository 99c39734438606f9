"""Per-account request statistics served by the control surface."""

import time
from collections import Counter
from dataclasses import dataclass, field


@dataclass
class Stats:
    requests: Counter = field(default_factory=Counter)
    status_counts: Counter = field(default_factory=Counter)
    max_in_flight: int = 0
    # The integral of requests in flight over time: divided by a window, the average in flight.
    in_flight_seconds: float = 0.0
    _in_flight: int = 0
    _changed_at: float = field(default_factory=time.monotonic)

    def count_request(self, template: str) -> None:
        self.requests[template] += 1

    def count_status(self, status: int) -> None:
        self.status_counts[str(status)] += 1

    def saw_in_flight(self, in_flight: int) -> None:
        self.max_in_flight = max(self.max_in_flight, in_flight)
        self.in_flight_changed(in_flight)

    def in_flight_changed(self, in_flight: int) -> None:
        now = time.monotonic()
        self.in_flight_seconds += self._in_flight * (now - self._changed_at)
        self._in_flight, self._changed_at = in_flight, now

    def reset(self) -> None:
        self.requests.clear()
        self.status_counts.clear()
        self.max_in_flight = 0
        self.in_flight_changed(self._in_flight)
        self.in_flight_seconds = 0.0

    def as_dict(self, records: dict) -> dict:
        self.in_flight_changed(self._in_flight)
        return {"requests": dict(self.requests), "status_counts": dict(self.status_counts),
                "max_in_flight": self.max_in_flight, "in_flight_seconds": round(self.in_flight_seconds, 3),
                "records": records}
