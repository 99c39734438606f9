"""A dead letter as the runtime writes it (original message + ``dlq.*`` headers), and which to redrive."""
from __future__ import annotations

import json
from dataclasses import dataclass

REDRIVEN_FROM = "sb.redriven_from"


@dataclass(frozen=True)
class DeadLetter:
    topic: str
    partition: int
    offset: int
    timestamp_ms: int
    key: bytes | None
    value: bytes
    headers: tuple[tuple[str, bytes], ...]

    def header(self, name: str) -> str | None:
        for key, value in self.headers:
            if key == name:
                return value.decode(errors="replace")
        return None

    @property
    def reason(self) -> str:
        return self.header("dlq.reason") or "(no reason recorded)"

    @property
    def source_topic(self) -> str:
        return self.header("dlq.source.topic") or self.topic.removesuffix(".dlq")

    @property
    def source_partition(self) -> int:
        return int(self.header("dlq.source.partition") or 0)

    @property
    def source_offset(self) -> int | None:
        value = self.header("dlq.source.offset")
        return int(value) if value else None

    @property
    def consumer(self) -> str | None:
        return self.header("dlq.consumer")

    @property
    def failed_at(self) -> str | None:
        return self.header("dlq.failed_at")

    @property
    def original_headers(self) -> list[tuple[str, bytes]]:
        return [(k, v) for k, v in self.headers if not k.startswith("dlq.") and k != REDRIVEN_FROM]

    @property
    def event_id(self) -> str | None:
        found = self.header("event_id")
        if found:
            return found
        try:
            body = json.loads(self.value)
        except ValueError:
            return None
        return body.get("event_id") if isinstance(body, dict) and isinstance(body.get("event_id"), str) else None

    @property
    def position(self) -> str:
        return f"{self.topic}/{self.partition}/{self.offset}"


@dataclass(frozen=True)
class RedriveResult:
    sent: tuple[DeadLetter, ...]
    skipped: tuple[DeadLetter, ...]  # redriven before


def dlq_name(topic: str) -> str:
    return topic if topic.endswith(".dlq") else topic + ".dlq"


def choose(letters: list[DeadLetter], redriven_at: dict, sent_sources: set[tuple[int, int | None]],
           everything: bool) -> tuple[list[DeadLetter], list[tuple[DeadLetter, str]]]:
    """Which dead letters to send, and which to skip with why. A position already redriven is
    skipped; with ``--all`` so is a copy of a source message that is redriven already or earlier
    in the list (a replay over a poison message dead-letters it again at the same source position)."""
    send, skipped = [], []
    seen = set(sent_sources) if everything else set()
    for letter in letters:
        source = (letter.source_partition, letter.source_offset)
        if (letter.partition, letter.offset) in redriven_at:
            skipped.append((letter, "redriven before"))
        elif everything and letter.source_offset is not None and source in seen:
            skipped.append((letter, f"the same source message {source[0]}:{source[1]} is redriven already"))
        else:
            send.append(letter)
        seen.add(source)
    return send, skipped
