"""Which dead letters a redrive sends (pure rules, no broker)."""
from __future__ import annotations

from datetime import UTC, datetime

from sb_ops.letters import DeadLetter, choose


def letter(offset: int, source_offset: int) -> DeadLetter:
    headers = (("dlq.source.topic", b"t"), ("dlq.source.partition", b"1"),
               ("dlq.source.offset", str(source_offset).encode()))
    return DeadLetter("t.dlq", 0, offset, 0, b"k", b"{}", headers)


def test_a_position_redriven_before_is_skipped_whatever_is_asked():
    send, skipped = choose([letter(0, 5), letter(1, 6)], {(0, 0): datetime.now(UTC)}, set(), everything=False)
    assert [x.offset for x in send] == [1] and [(x.offset, why) for x, why in skipped] == [(0, "redriven before")]


def test_all_skips_copies_of_a_source_message_already_sent_or_listed_earlier():
    letters = [letter(0, 5), letter(1, 9), letter(2, 5), letter(3, 7)]
    send, skipped = choose(letters, {(0, 0): datetime.now(UTC)}, {(1, 5), (1, 7)}, everything=True)
    assert [x.offset for x in send] == [1]
    assert [x.offset for x, _ in skipped] == [0, 2, 3]


def test_explicit_offsets_send_copies_an_operator_asked_for():
    send, _ = choose([letter(2, 5)], {}, set(), everything=False)
    assert [x.offset for x in send] == [2]
