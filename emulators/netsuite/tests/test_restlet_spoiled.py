"""The restlet_answer knob: the PDF RESTlet answers HTML or garbage for chosen invoices only."""

import base64
import json

import httpx
import pytest

SCRIPT = {"script": "customscript_sb_invoice_pdf", "deploy": "customdeploy_sb_invoice_pdf"}


def _get(emulator, credentials, tba, **params):
    return httpx.get(emulator.restlet_url(credentials["account_id"]), params={**SCRIPT, **params},
                     auth=tba(credentials), timeout=30)


def test_spoiled_answers_for_chosen_invoices_and_a_pdf_for_the_others(emulator, credentials, tba, ns):
    first, second, other = (row["id"] for row in ns.suiteql(
        "SELECT id FROM transaction WHERE type = 'CustInvc' ORDER BY id FETCH FIRST 3 ROWS ONLY")["items"])
    emulator.patch_account(credentials["account_id"], restlet_answer={first: "html", second: "not_pdf"})
    html = _get(emulator, credentials, tba, id=first)
    assert html.status_code == 200 and html.text.startswith("<!DOCTYPE html>")
    not_pdf = _get(emulator, credentials, tba, id=second).json()
    assert not base64.b64decode(not_pdf["base64"]).startswith(b"%PDF")
    assert base64.b64decode(_get(emulator, credentials, tba, id=other).json()["base64"]).startswith(b"%PDF")
    assert _get(emulator, credentials, tba, ping="1").json() == {"ok": True, "script": SCRIPT["script"]}

    emulator.patch_account(credentials["account_id"], restlet_answer="garbage")
    with pytest.raises(ValueError):
        json.loads(_get(emulator, credentials, tba, id=other).text)
    emulator.patch_account(credentials["account_id"], restlet_answer="no_base64")
    assert "base64" not in _get(emulator, credentials, tba, id=other).json()


def test_an_unknown_spoil_is_refused(emulator, credentials):
    with pytest.raises(RuntimeError):
        emulator.patch_account(credentials["account_id"], restlet_answer="teapot")
