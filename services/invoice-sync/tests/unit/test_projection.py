"""What gets stored and published for an invoice: only real changes, R10 action items, R5 PDF reference."""
import json
from decimal import Decimal

from contracts import topics
from contracts.registry import decode
from invoice_sync.payments import merge_outcome
from invoice_sync.projection import InvoiceInputs, InvoiceRow, Pdf, project
from invoice_sync.testing import at, outcome, version

T = "msp-acme"


def row_of(projection):
    values = projection.record.values
    return InvoiceRow(fingerprint=values[20], version=values[21], reverts=json.loads(values[19]),
                      updated_at=values[22])


def kinds(projection):
    return [event.event_type for event in projection.events]


def failed_payment():
    payment = merge_outcome(None, outcome(T, "901", "pay_001", "written", minute=1.5))
    return merge_outcome(payment, outcome(T, "901", "pay_001", "failed", minute=10))


def test_a_new_invoice_is_published_as_version_1():
    projection = project(InvoiceInputs(T, "901", [version()]), None)
    assert kinds(projection) == ["PlatformInvoiceUpdated"]
    assert projection.events[0].data.version == 1 and projection.events[0].data.amount_remaining == 250


def test_the_same_inputs_again_store_and_publish_nothing():
    inputs = InvoiceInputs(T, "901", [version()])
    assert project(inputs, row_of(project(inputs, None))) is None


def test_a_change_bumps_the_version():
    first = project(InvoiceInputs(T, "901", [version()]), None)
    second = project(InvoiceInputs(T, "901", [version(), version(minute=1, remaining="100.00")]), row_of(first))
    assert second.events[0].data.version == 2 and second.events[0].data.status == "partially_paid"


def test_r10_raises_the_action_item_once_and_resolves_it_when_netsuite_is_reverted():
    versions = [version(), version(minute=1, remaining="0.00")]
    raised = project(InvoiceInputs(T, "901", versions, [failed_payment()]), None)
    assert kinds(raised) == ["PlatformInvoiceUpdated", "ActionItemRaised"]
    item = raised.events[1].data
    assert item.kind == "revert_invoice_in_netsuite" and "INV901" in item.message and item.payment_id == "pay_001"
    stale = project(InvoiceInputs(T, "901", versions + [version(minute=20, remaining="0.00", memo="x")],
                                  [failed_payment()]), row_of(raised))
    assert kinds(stale) == ["PlatformInvoiceUpdated"]  # memo shows; no second action item
    reverted = project(InvoiceInputs(T, "901", versions + [version(minute=30, memo="x")], [failed_payment()]),
                       row_of(stale))
    assert "ActionItemResolved" in kinds(reverted) and reverted.events[-1].data.item_id == item.item_id


def test_a_rebuild_that_sees_failure_and_revert_at_once_raises_and_resolves():
    versions = [version(), version(minute=1, remaining="0.00"), version(minute=30)]
    projection = project(InvoiceInputs(T, "901", versions, [failed_payment()]), None)
    assert kinds(projection) == ["PlatformInvoiceUpdated", "ActionItemRaised", "ActionItemResolved"]


def test_r5_the_pdf_reference_is_part_of_the_invoice():
    projection = project(InvoiceInputs(T, "901", [version()], pdf=Pdf("ab" * 32, at(3))), None)
    assert projection.events[0].data.pdf_sha256 == "ab" * 32 and projection.events[0].data.updated_at == at(3)


def test_r4_payments_show_deposited_when_their_netsuite_payment_is_in_a_deposit():
    payment = merge_outcome(None, outcome(T, "901", "pay_001", "written", minute=1.5, netsuite_payment_id="1777"))
    inputs = InvoiceInputs(T, "901", [version(), version(minute=1, remaining="0.00")], [payment],
                           deposited={"1777": at(60)})
    data = project(inputs, None).events[0].data
    assert [(p.status, p.netsuite_id) for p in data.payments] == [("deposited", "1777")]
    assert data.updated_at == at(60)


def test_published_invoices_are_valid_contract_events():
    payment = merge_outcome(None, outcome(T, "901", "pay_001", "waiting", minute=1, amount="100.00"))
    inputs = InvoiceInputs(T, "901", [version(lines=3, memo="m")], [payment], pdf=Pdf("cd" * 32, at(2)))
    event = project(inputs, None).events[0]
    assert decode(topics.INVOICES, event.to_bytes()) == event
    assert event.data.amount_remaining == Decimal("150.00") and event.data.lines[2].quantity == "1"


def test_the_published_bytes_are_the_event_as_pydantic_dumps_it():
    # The data JSON is assembled once from the parts the fingerprint dumped (issue 15): same content.
    projection = project(InvoiceInputs(T, "901", [version(lines=3), version(minute=1, remaining="100.00", lines=3)],
                                       [failed_payment()]), None)
    event = projection.events[0]
    assert json.loads(event.to_bytes()) == json.loads(event.model_dump_json())
    assert decode(topics.INVOICES, event.to_bytes()) == event
    assert json.loads(event.model_copy(update={"tenant_id": "other"}).to_bytes())["tenant_id"] == "other"
