"""The upstream platform events, exactly as ../shared/contracts/platform-events.md documents them."""
import copy
import json
from decimal import Decimal
from pathlib import Path

import jsonschema
import pytest
from pydantic import ValidationError

from contracts.payments import PaymentFailed, PaymentReceived
from contracts.payouts import DepositPosted
from contracts.registry import decode

FORMATS = jsonschema.Draft202012Validator.FORMAT_CHECKER
SCHEMAS = Path(__file__).resolve().parents[1] / "src" / "contracts" / "schemas"

ENVELOPE = {
    "event_id": "0b0c6d5e-3f0c-4a55-9a63-8f6f3c1b2d11",
    "schema_version": 1,
    "tenant_id": "msp-acme",
    "occurred_at": "2026-11-26T10:15:04.123Z",
}
EXAMPLES = {
    "PaymentReceived": (PaymentReceived, "payment-received.v1.schema.json", "platform.payments.v1", {
        "payment_id": "pay_01JDX8R6Q4", "invoice_id": "f3a0", "customer_id": "cus_77", "amount": "150.00",
        "currency": "USD", "method": "ach", "received_at": "2026-11-26T10:15:00Z", "surcharge": "0.00"}),
    "PaymentFailed": (PaymentFailed, "payment-failed.v1.schema.json", "platform.payments.v1", {
        "payment_id": "pay_01JDX8R6Q4", "invoice_id": "f3a0", "reason": "ach_return_R01",
        "failed_at": "2026-11-28T08:00:00Z"}),
    "DepositPosted": (DepositPosted, "deposit-posted.v1.schema.json", "platform.payouts.v1", {
        "payout_id": "po_5521", "currency": "USD", "arrival_date": "2026-11-27", "gross_amount": "1200.00",
        "fee_amount": "18.40", "net_amount": "1181.60", "payment_ids": ["pay_01JDX8R6Q4", "pay_01JDX9A0ZZ"],
        "fees": [{"kind": "processing", "amount": "18.40", "description": "Card and ACH processing"}]}),
}


def example(event_type: str) -> dict:
    model, _, _, data = EXAMPLES[event_type]
    return {**ENVELOPE, "event_type": event_type, "data": copy.deepcopy(data)}


def schema(event_type: str) -> dict:
    return json.loads((SCHEMAS / EXAMPLES[event_type][1]).read_text())


@pytest.mark.parametrize("event_type", EXAMPLES)
def test_documented_example_is_accepted_by_model_and_schema(event_type):
    document = example(event_type)
    jsonschema.validate(document, schema(event_type))
    event = decode(EXAMPLES[event_type][2], json.dumps(document).encode())
    assert type(event) is EXAMPLES[event_type][0]
    assert event.tenant_id == "msp-acme"


def test_money_is_decimal_in_code_and_a_two_digit_string_on_the_wire():
    event = PaymentReceived.model_validate_json(json.dumps(example("PaymentReceived")))
    assert event.data.amount == Decimal("150.00") and isinstance(event.data.amount, Decimal)
    assert json.loads(event.to_bytes())["data"]["amount"] == "150.00"


def test_surcharge_defaults_to_zero():
    document = example("PaymentReceived")
    del document["data"]["surcharge"]
    assert PaymentReceived.model_validate_json(json.dumps(document)).data.surcharge == Decimal("0.00")


@pytest.mark.parametrize("event_type", EXAMPLES)
@pytest.mark.parametrize("field", ["event_id", "tenant_id", "occurred_at", "data"])
def test_a_missing_envelope_field_is_rejected(event_type, field):
    document = example(event_type)
    del document[field]
    with pytest.raises(ValidationError):
        EXAMPLES[event_type][0].model_validate_json(json.dumps(document))
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(document, schema(event_type))


@pytest.mark.parametrize("event_type", EXAMPLES)
def test_every_required_data_field_is_required(event_type):
    required = schema(event_type)["properties"]["data"]["required"]
    for field in required:
        document = example(event_type)
        del document["data"][field]
        with pytest.raises(ValidationError):
            EXAMPLES[event_type][0].model_validate_json(json.dumps(document))


@pytest.mark.parametrize("event_type,field,value", [
    ("PaymentReceived", "amount", 150.0),
    ("PaymentReceived", "amount", 150),
    ("PaymentReceived", "amount", "150.001"),
    ("PaymentReceived", "amount", "-150.00"),
    ("PaymentReceived", "currency", "usd"),
    ("PaymentReceived", "method", "bitcoin"),
    ("PaymentReceived", "received_at", "yesterday"),
    ("DepositPosted", "arrival_date", 20261127),
    ("DepositPosted", "fees", [{"kind": "processing", "amount": 18.4}]),
    ("PaymentFailed", "reason", ""),
    ("PaymentFailed", "payment_id", 42),
    ("DepositPosted", "net_amount", 1181.6),
    ("DepositPosted", "payment_ids", "pay_1"),
])
def test_wrong_types_and_float_money_are_rejected(event_type, field, value):
    document = example(event_type)
    document["data"][field] = value
    with pytest.raises(ValidationError):
        EXAMPLES[event_type][0].model_validate_json(json.dumps(document))
    if field == "received_at":
        return  # "format": "date-time" needs a checker jsonschema does not ship; the model is strict
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(document, schema(event_type), format_checker=FORMATS)


@pytest.mark.parametrize("event_type", EXAMPLES)
def test_an_unknown_envelope_field_is_rejected(event_type):
    document = {**example(event_type), "priority": "high"}
    with pytest.raises(ValidationError):
        EXAMPLES[event_type][0].model_validate_json(json.dumps(document))
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(document, schema(event_type))


@pytest.mark.parametrize("event_type", EXAMPLES)
def test_unknown_fields_inside_data_are_tolerated(event_type):
    document = example(event_type)
    document["data"]["added_by_a_newer_platform"] = {"anything": [1, 2]}
    jsonschema.validate(document, schema(event_type))
    event = EXAMPLES[event_type][0].model_validate_json(json.dumps(document))
    assert "added_by_a_newer_platform" not in event.data.model_dump()


@pytest.mark.parametrize("event_type", EXAMPLES)
def test_model_and_schema_agree_on_required_and_known_fields(event_type):
    data_schema = schema(event_type)["properties"]["data"]
    model = EXAMPLES[event_type][0].model_fields["data"].annotation
    model_required = {name for name, f in model.model_fields.items() if f.is_required()}
    assert model_required == set(data_schema["required"])
    assert set(model.model_fields) == set(data_schema["properties"])


def test_an_event_type_the_topic_does_not_carry_is_poison():
    document = example("PaymentReceived")
    with pytest.raises(ValueError):
        decode("platform.payouts.v1", json.dumps(document).encode())
