"""The service's table wires each topic to its handler and model, on faststream's in-memory broker."""
from contracts import topics
from sb_runtime.testing import wired
from sb_writeback.testing import account_setup_saved, connection_changed

from payment_reconciler.app import create_app
from payment_reconciler.settings import Settings
from payment_reconciler.testing import fake_deps, invoice_updated, payment_received


async def test_setup_invoices_and_payments_reach_their_handlers_and_poison_is_dead_lettered():
    app, deps = create_app(Settings(log_level="warning")), fake_deps()
    async with wired(app.state.shell, deps) as (broker, dead_letters):
        for event in (connection_changed("t1", "TSTDRV1"), account_setup_saved("t1", "TSTDRV1")):
            await broker.publish(event.to_bytes(), topic=topics.NETSUITE_SETUP)
        invoice = invoice_updated("t1", "inv-1", "901", "55", "150.00", "150.00")
        await broker.publish(invoice.to_bytes(), topic=topics.INVOICES)
        await broker.publish(payment_received("t1", "pay-1", "inv-1", "100.00").to_bytes(),
                             topic=topics.PLATFORM_PAYMENTS)
        await broker.publish(b"{not json", topic=topics.PLATFORM_PAYMENTS)
    [outcome] = deps.store.db.published
    assert (outcome.data.status, deps.topics.outbound(outcome).topic) == ("written", topics.PAYMENT_OUTCOMES)
    assert [sent[0] for sent in dead_letters.sent] == [topics.PLATFORM_PAYMENTS + ".dlq"]
