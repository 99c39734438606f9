"""The service's table wires each topic to its handler and model, on faststream's in-memory broker."""
from contracts import topics
from sb_runtime.testing import wired
from sb_writeback.testing import account_setup_saved, connection_changed

from deposit_writer.app import create_app
from deposit_writer.settings import Settings
from deposit_writer.testing import deposit_posted, fake_deps, payment_outcome


async def test_setup_payment_outcomes_and_payouts_reach_their_handlers_and_poison_is_dead_lettered():
    app, deps = create_app(Settings(log_level="warning")), fake_deps()
    async with wired(app.state.shell, deps) as (broker, dead_letters):
        for event in (connection_changed("t1", "TSTDRV1"), account_setup_saved("t1", "TSTDRV1")):
            await broker.publish(event.to_bytes(), topic=topics.NETSUITE_SETUP)
        written = payment_outcome("t1", "pay-1", "100.00", netsuite_payment_id="501")
        await broker.publish(written.to_bytes(), topic=topics.PAYMENT_OUTCOMES)
        await broker.publish(deposit_posted("t1", "po-1", ["pay-1"], "100.00", []).to_bytes(),
                             topic=topics.PLATFORM_PAYOUTS)
        await broker.publish(b'{"event_type": "DepositPosted"}', topic=topics.PLATFORM_PAYOUTS)
    [outcome] = deps.store.db.published
    assert (outcome.data.status, deps.topics.outbound(outcome).topic) == ("deposited", topics.PAYOUT_OUTCOMES)
    assert [sent[0] for sent in dead_letters.sent] == [topics.PLATFORM_PAYOUTS + ".dlq"]
