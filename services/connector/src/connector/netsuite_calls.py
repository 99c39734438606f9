"""This connector process's NetSuite calls and 429s over the last hour, per account (the dashboard's
health card). Counted by a response hook on the shared NetSuite HTTP client: every attempt is a
call, so retries count. In memory, per instance (docs/decisions/dashboard-health-numbers.md)."""
from __future__ import annotations

import time
from collections import defaultdict, deque
from collections.abc import Callable

import httpx

WINDOW_S = 3600
BUCKET_S = 60


def account_key(url: httpx.URL) -> str | None:
    """The account a NetSuite URL is for, as its host label (``1234567_SB1`` -> ``1234567-sb1``):
    host-based (``<label>.suitetalk.api.netsuite.com``) or path-based (``.../accounts/<id>/...``)."""
    parts = url.path.split("/")
    if "accounts" in parts and parts.index("accounts") + 1 < len(parts):
        return parts[parts.index("accounts") + 1].lower().replace("_", "-")
    if url.host.endswith(".netsuite.com"):
        return url.host.split(".", 1)[0].lower()
    return None


class CallTally:
    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._buckets: dict[str, deque[list[int]]] = defaultdict(deque)  # [minute, calls, throttled]

    def record(self, account: str, status: int) -> None:
        minute = int(self._clock() // BUCKET_S)
        buckets = self._buckets[account]
        if not buckets or buckets[-1][0] != minute:
            buckets.append([minute, 0, 0])
        buckets[-1][1] += 1
        buckets[-1][2] += status == 429
        while buckets and buckets[0][0] <= minute - WINDOW_S // BUCKET_S:
            buckets.popleft()

    def last_hour(self, account: str) -> tuple[int, int]:
        """(calls, 429s) for ``account`` (its host label) in the last hour."""
        oldest = int(self._clock() // BUCKET_S) - WINDOW_S // BUCKET_S
        recent = [bucket for bucket in self._buckets.get(account, ()) if bucket[0] > oldest]
        return sum(bucket[1] for bucket in recent), sum(bucket[2] for bucket in recent)

    async def on_response(self, response: httpx.Response) -> None:
        account = account_key(response.request.url)
        if account is not None:
            self.record(account, response.status_code)


TALLY = CallTally()


def watch(http: httpx.AsyncClient, tally: CallTally = TALLY) -> None:
    """Count every response ``http`` receives from NetSuite."""
    if tally.on_response not in http.event_hooks["response"]:
        http.event_hooks["response"] = [*http.event_hooks["response"], tally.on_response]
