"""The emulator's bundle RESTlet against the cases the real SuiteScript is tested with
(netsuite/contract/restlet-cases.json), over HTTP with TBA, so the two cannot drift."""

import base64
import io
import json
from pathlib import Path

import httpx
import pytest
from pypdf import PdfReader

CONTRACT = json.loads((Path(__file__).parents[3] / "netsuite" / "contract" / "restlet-cases.json").read_text())
CASES = CONTRACT["cases"]
MISSING_ID = "987654321"


def _fill(text: str, world: dict) -> str:
    for key, value in world.items():
        text = text.replace("{" + key + "}", value)
    return text


@pytest.fixture
def world(ns) -> dict:
    def first(kind: str) -> dict:
        rows = ns.suiteql(f"SELECT id, tranid FROM transaction WHERE type = '{kind}' ORDER BY id FETCH FIRST 1 ROWS ONLY")
        assert rows["items"], f"the seed has no {kind}"
        return rows["items"][0]

    invoice, payment = first("CustInvc"), first("CustPymt")
    return {"invoice": str(invoice["id"]), "tranid": invoice["tranid"], "payment": str(payment["id"]),
            "missing": MISSING_ID}


def test_every_case_runs_against_the_emulator_too():
    assert not [case["name"] for case in CONTRACT["cases"] if "emulator" in case]
    assert {key for case in CONTRACT["cases"] for key in case.get("given", {})} <= {"invoiceAccess"}


@pytest.mark.parametrize("case", CASES, ids=[case["name"] for case in CASES])
def test_case(emulator, credentials, tba, world, case):
    if case.get("given", {}).get("invoiceAccess") is False:
        emulator.patch_account(credentials["account_id"], permissions_missing=["invoice"])
    params = {"script": CONTRACT["script"], "deploy": CONTRACT["deploy"],
              **{key: _fill(value, world) for key, value in case["params"].items()}}
    response = httpx.get(emulator.restlet_url(credentials["account_id"]), params=params, auth=tba(credentials),
                         timeout=30)
    expect = case["expect"]
    assert response.status_code == expect["status"], response.text
    body = response.json()
    if "error" in expect:
        assert set(body) == {"error"} and set(body["error"]) == {"code", "message"}
        assert body["error"]["code"] == expect["error"]["code"]
        assert _fill(expect["error"]["messageContains"], world) in body["error"]["message"]
        # NetSuite 2.x puts the thrown SuiteScriptError, serialised, in the message.
        thrown = json.loads(body["error"]["message"])
        assert thrown["type"] == "error.SuiteScriptError" and thrown["name"] == expect["error"]["code"]
    elif "pdf" in expect:
        assert set(body) == {"fileName", "contentType", "base64"}
        assert body["fileName"] == _fill(expect["pdf"]["fileName"], world)
        assert body["contentType"] == expect["pdf"]["contentType"]
        text = PdfReader(io.BytesIO(base64.b64decode(body["base64"], validate=True))).pages[0].extract_text()
        assert world["tranid"] in text
    else:
        assert body == expect["body"]
