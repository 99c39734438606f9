"""Internal events: round trip, keys that keep per-record order, and additive-only evolution."""
import json
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from contracts import topics
from contracts.envelope import envelope_fields
from contracts.invoices import InvoiceChanged, InvoicePdfFetched, InvoicePdfFetchedV2
from contracts.registry import TOPIC_EVENTS, decode, snapshot_name

SNAPSHOTS = Path(__file__).with_name("snapshots")
NOW = datetime(2026, 11, 26, 10, 15, tzinfo=UTC)


def invoice_changed() -> InvoiceChanged:
    return InvoiceChanged(
        **envelope_fields("InvoiceChanged", "msp-acme", "901", NOW.isoformat(), occurred_at=NOW),
        data={"netsuite_id": "901", "number": "INV1042", "customer_netsuite_id": "55", "currency": "USD",
              "issued_on": date(2026, 11, 1), "due_on": date(2026, 12, 1), "total": "250.00",
              "amount_remaining": "150.00", "netsuite_status": "open", "last_modified": NOW,
              "lines": [{"line": 1, "item": "Managed services", "quantity": "1", "rate": "250.00", "amount": "250.00"}]},
    )


def test_an_internal_event_round_trips_through_its_topic():
    event = invoice_changed()
    assert decode(topics.NETSUITE_INVOICES, event.to_bytes()) == event
    assert json.loads(event.to_bytes())["data"]["lines"][0]["amount"] == "250.00"


def test_key_keeps_per_record_order_and_event_ids_are_deterministic():
    assert invoice_changed().kafka_key() == b"msp-acme:901"
    assert invoice_changed().event_id == invoice_changed().event_id


def test_an_unknown_field_in_an_internal_event_is_rejected():
    document = json.loads(invoice_changed().to_bytes())
    document["data"]["surprise"] = 1
    with pytest.raises(ValueError):
        decode(topics.NETSUITE_INVOICES, json.dumps(document).encode())


def all_events():
    return sorted({(snapshot_name(name, model), model) for events in TOPIC_EVENTS.values()
                   for name, model in events.items()}, key=lambda e: e[0])


@pytest.mark.parametrize("name,model", all_events(), ids=[n for n, _ in all_events()])
def test_schema_changes_are_additive_only(name, model):
    """A field may be added (optional); none may be removed, retyped away or newly required.

    A breaking change needs a new event version and topic suffix. After an additive change,
    refresh the snapshot with ``make contracts-snapshot``.
    """
    current = model.model_json_schema()
    snapshot = SNAPSHOTS / f"{name}.json"
    assert snapshot.exists(), f"no snapshot for {name}: run make contracts-snapshot"
    previous = json.loads(snapshot.read_text())
    for path, old, new in _walk_objects(previous, current):
        missing = set(old.get("properties", {})) - set(new.get("properties", {}))
        assert not missing, f"{name}{path}: fields removed {missing}"
        newly_required = set(new.get("required", [])) - set(old.get("required", []))
        assert not newly_required, f"{name}{path}: fields newly required {newly_required}"


def _walk_objects(old: dict, new: dict, path: str = ""):
    yield path, old, new
    for definition, old_schema in old.get("$defs", {}).items():
        if definition in new.get("$defs", {}):
            yield from _walk_objects(old_schema, new["$defs"][definition], f"{path}.{definition}")


def test_invoice_pdfs_travel_by_reference_on_v2_and_inline_events_still_decode_on_v1():
    import base64
    import hashlib

    content = b"%PDF-1.4 tiny"
    sha256 = hashlib.sha256(content).hexdigest()
    common = {"netsuite_id": "901", "sha256": sha256, "file_name": "INV901.pdf", "size": len(content),
              "invoice_last_modified": NOW}
    fields = envelope_fields("InvoicePdfFetched", "msp-acme", "901", sha256, occurred_at=NOW)
    by_reference = InvoicePdfFetchedV2(**fields | {"schema_version": 2},
                                       data=common | {"location": f"/internal/pdfs/{sha256}"})
    inline = InvoicePdfFetched(**fields, data=common | {"content_base64": base64.b64encode(content).decode()})

    assert decode(topics.NETSUITE_INVOICE_PDFS, by_reference.to_bytes()) == by_reference
    assert decode(topics.NETSUITE_INVOICE_PDFS_V1, inline.to_bytes()) == inline
    assert by_reference.TOPIC.endswith(".v2") and inline.TOPIC.endswith(".v1")
    with pytest.raises(ValueError):  # the bytes never travel on v2
        decode(topics.NETSUITE_INVOICE_PDFS, inline.to_bytes())


def test_deterministic_event_ids_are_the_uuid5_of_their_parts():
    import uuid

    from contracts.envelope import NAMESPACE, deterministic_event_id
    for parts in [("PlatformInvoiceUpdated", "msp-acme", "inv_1", 3, "ab" * 32), ("x",), ("ünï", "", 0)]:
        assert deterministic_event_id(*parts) == str(uuid.uuid5(NAMESPACE, "\x1f".join(str(p) for p in parts)))


def test_platform_ids_are_the_uuid5_they_always_were():
    import uuid

    from contracts import ids
    from contracts.envelope import NAMESPACE
    assert ids.platform_invoice_id("msp-acme", "901") == str(uuid.uuid5(NAMESPACE, "invoice:msp-acme:901"))
    assert ids.platform_customer_id("t", "55", "TSTDRV2") == str(uuid.uuid5(NAMESPACE, "customer:t:TSTDRV2@55"))
