"""Dead letters through the tool: list and show with reasons; a fixed poison message redriven applies once."""
from __future__ import annotations

from sb_runtime.testing import read_topic, wait_until


async def test_a_poison_message_fixed_and_redriven_is_applied_exactly_once(cli, ops, database_url, kafka_bootstrap,
                                                                           unique):
    schema, group, topic = f"ops_dlq_{unique}", f"ops-dlq-{unique}", f"ops.dlq-test.{unique}"
    await ops.prepare(database_url, schema, ["known"])
    poison = ops.payment("newcomer", "42.00")
    async with ops.LedgerConsumer(database_url, kafka_bootstrap, schema, group, [topic], f"ops.out.{unique}"):
        await ops.produce(kafka_bootstrap, topic, [ops.payment("known"), poison], partition=1)
        await ops.produce(kafka_bootstrap, topic, [b"{not json"], partition=0)
        letters = await read_topic(kafka_bootstrap, f"{topic}.dlq", at_least=2, timeout_s=60)
        assert len(letters) == 2

        listed = await cli("dlq", "list", "--topic", topic)
        assert "PermanentError: unknown tenant newcomer" in listed.output
        assert "JSONDecodeError" in listed.output
        assert "2 dead letter(s)" in listed.output
        at = next(r for r in letters if b"newcomer" in r.value)
        shown = await cli("dlq", "show", f"{topic}.dlq", str(at.partition), str(at.offset))
        assert shown.exit_code == 0 and f"{topic} partition 1 offset 1" in shown.output
        assert poison["event_id"] in shown.output

        await ops.prepare(database_url, schema, ["newcomer"])  # the fix: the tenant now exists
        first = await cli("dlq", "redrive", "--topic", topic, "--offset", f"{at.partition}:{at.offset}", "--yes")
        assert first.exit_code == 0 and "redriven 1, skipped 0" in first.output
        await wait_until(lambda: ops.fetchval(database_url, f'SELECT count(*) FROM "{schema}".applied '
                                              "WHERE tenant_id = 'newcomer'"), timeout_s=60, message="applied")
        again = await cli("dlq", "redrive", "--topic", f"{topic}.dlq", "--offset", str(at.offset), "--yes")
        assert again.exit_code == 0 and "redriven 0, skipped 1" in again.output

    assert await ops.fetch(database_url, f'SELECT event_id, amount FROM "{schema}".applied WHERE tenant_id = $1',
                           "newcomer") == [{"event_id": poison["event_id"], "amount": 42}]
    source = await read_topic(kafka_bootstrap, topic, at_least=4)
    redriven = [r for r in source if dict(r.headers).get("sb.redriven_from")]
    assert len(redriven) == 1 and redriven[0].value == at.value and redriven[0].key == at.key
    assert redriven[0].partition == 1
    assert not any(k.startswith("dlq.") for k, _ in redriven[0].headers)
    assert await ops.fetchval(database_url, "SELECT count(*) FROM ops.redriven WHERE dlq_topic = $1",
                              f"{topic}.dlq") == 1


async def test_redrive_of_an_unknown_position_fails_clearly(cli, ops, database_url, kafka_bootstrap, unique):
    topic = f"ops.nothing.{unique}"
    from sb_runtime.kafka import ensure_topics

    await ensure_topics(kafka_bootstrap, {f"{topic}.dlq": 1})
    result = await cli("dlq", "redrive", "--topic", topic, "--offset", "7", "--yes")
    assert result.exit_code == 1 and f"no dead letter at {topic}.dlq/0/7" in result.output
