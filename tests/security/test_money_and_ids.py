"""Issue 13: a 0.00 payment is refused as the contract says, and externalIds cannot collide across
tenants or ids containing `-` while every id whose platform id has no `-` stays as deployed."""
from __future__ import annotations

import itertools
import json
import uuid

import pytest
from pydantic import ValidationError

from contracts.ids import ECHO_PREFIX, netsuite_external_id
from contracts.payments import PaymentReceived


def _payment(amount: str) -> dict:
    return {"event_id": str(uuid.uuid4()), "event_type": "PaymentReceived", "schema_version": 1,
            "tenant_id": "acme", "occurred_at": "2026-11-26T10:15:00Z",
            "data": {"payment_id": "pay_1", "invoice_id": "inv_1", "customer_id": "cus_1", "amount": amount,
                     "currency": "USD", "method": "ach", "received_at": "2026-11-26T10:15:00Z"}}


@pytest.mark.parametrize("amount", ["0.00", "0.01", "150.00"])
def test_only_positive_payments_are_accepted(amount):
    if amount == "0.00":
        with pytest.raises(ValidationError, match="greater than 0.00"):
            PaymentReceived.model_validate_json(json.dumps(_payment(amount)))
    else:
        assert str(PaymentReceived.model_validate_json(json.dumps(_payment(amount))).data.amount) == amount


def test_external_ids_of_different_tenants_and_payments_never_collide():
    assert netsuite_external_id("pay", "a-b", "c-d") != netsuite_external_id("pay", "a", "b-c-d")
    assert netsuite_external_id("pay", "a-b", "c-d") != netsuite_external_id("pay", "a-b-c", "d")
    parts = ["".join(p) for n in range(1, 4) for p in itertools.product("a-_", repeat=n)]
    seen: dict[str, tuple] = {}
    for kind, tenant, platform_id in itertools.product(("pay", "dep"), parts, parts):
        external_id = netsuite_external_id(kind, tenant, platform_id)
        assert external_id.startswith(ECHO_PREFIX)  # the connector still recognises our writes
        assert seen.setdefault(external_id, (kind, tenant, platform_id)) == (kind, tenant, platform_id), external_id


@pytest.mark.parametrize(("tenant", "platform_id"), [("acme", "pay_01JDX8R6Q4"), ("msp-acme", "pay_01JDX8R6Q4"),
                                                      ("a.b", "po_9")])
def test_ids_already_written_to_netsuite_stay_the_same(tenant, platform_id):
    assert netsuite_external_id("pay", tenant, platform_id) == f"sb-pay-{tenant}-{platform_id}"
