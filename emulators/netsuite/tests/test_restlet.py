"""The bundle RESTlet that renders invoice PDFs."""

import base64
import io

import httpx
from pypdf import PdfReader

PDF_PARAMS = {"script": "customscript_sb_invoice_pdf", "deploy": "customdeploy_sb_invoice_pdf"}


def fetch_pdf(emulator, credentials, tba, invoice_id, host_based=False, **params):
    account_id = credentials["account_id"]
    if host_based:
        label = account_id.lower()
        return httpx.get(f"{emulator.url}/app/site/hosting/restlet.nl", auth=tba(credentials),
                         headers={"Host": f"{label}.restlets.api.netsuite.com"},
                         params={**PDF_PARAMS, "id": invoice_id, **params})
    return httpx.get(emulator.restlet_url(account_id), auth=tba(credentials),
                     params={**PDF_PARAMS, "id": invoice_id, **params})


def test_pdf_is_real_and_deterministic(emulator, credentials, ns, tba):
    invoice = ns.suiteql("SELECT id, tranid, BUILTIN.DF(entity) AS customer FROM transaction "
                         "WHERE type = 'CustInvc' ORDER BY id FETCH FIRST 1 ROWS ONLY")["items"][0]
    response = fetch_pdf(emulator, credentials, tba, invoice["id"])
    assert response.status_code == 200
    body = response.json()
    assert body["fileName"] == f"{invoice['tranid']}.pdf" and body["contentType"] == "application/pdf"
    content = base64.b64decode(body["base64"])
    text = PdfReader(io.BytesIO(content)).pages[0].extract_text()
    assert invoice["tranid"] in text and invoice["customer"][:10] in text and "Total" in text
    again = fetch_pdf(emulator, credentials, tba, invoice["id"], host_based=True)
    assert again.status_code == 200 and again.json()["base64"] == body["base64"]


def test_missing_invoice_and_unknown_script(emulator, credentials, tba):
    missing = fetch_pdf(emulator, credentials, tba, "999999")
    assert missing.status_code == 400 and missing.json()["error"]["code"] == "SB_INVOICE_NOT_FOUND"
    unknown = fetch_pdf(emulator, credentials, tba, "101", script="customscript_other")
    assert unknown.status_code == 404 and unknown.json()["error"]["code"] == "SSS_INVALID_SCRIPTLET_ID"


def test_bundle_not_installed_is_404(emulator, credentials, tba):
    emulator.patch_account(credentials["account_id"], features={"bundle_installed": False})
    response = fetch_pdf(emulator, credentials, tba, "101")
    assert response.status_code == 404
    emulator.patch_account(credentials["account_id"], features={"bundle_installed": True})
    assert fetch_pdf(emulator, credentials, tba, "101").status_code == 200


def test_restlet_needs_valid_auth(emulator, credentials):
    response = httpx.get(emulator.restlet_url(credentials["account_id"]), params={**PDF_PARAMS, "id": "101"})
    assert response.status_code == 401 and "www-authenticate" in response.headers
