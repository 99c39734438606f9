"""The bundle's RESTlet: customscript_sb_invoice_pdf renders an invoice PDF (like N/render).

It answers what the real script (netsuite/src/FileCabinet/SuiteScripts/suitebridge/sb_invoice_pdf_rl.js)
answers; both are tested against netsuite/contract/restlet-cases.json."""

import base64
import json

from starlette.requests import Request
from starlette.responses import Response

from netsuite_emulator import pdf, spoiled
from netsuite_emulator.errors import NetSuiteError
from netsuite_emulator.rec_shape import Ctx
from netsuite_emulator.route import Route

SCRIPT = "customscript_sb_invoice_pdf"
DEPLOY = "customdeploy_sb_invoice_pdf"


class RestletError(NetSuiteError):
    """RESTlets answer SuiteScript's {"error": {"code", "message"}} body, not the REST envelope."""

    def response(self) -> Response:
        body = {"error": {"code": self.code, "message": self.detail}}
        return Response(json.dumps(body), self.status, self.headers, media_type="application/json")


# search.Type / record type names of the transaction types the emulator stores.
RECORD_TYPES = {"CustInvc": "invoice", "CustPymt": "customerpayment", "CustCred": "creditmemo", "Deposit": "deposit"}
MAX_ID_DIGITS = 15


def script_error(code: str, message: str) -> RestletError:
    """What NetSuite answers when a 2.x RESTlet throws ``error.create({name, message})``: HTTP 400,
    the name as the code and the SuiteScriptError serialised as JSON as the message."""
    serialised = {"type": "error.SuiteScriptError", "name": code, "message": message,
                  "stack": ["createError(N/error)", "get(/SuiteScripts/suitebridge/sb_invoice_pdf_rl.js)"],
                  "cause": {"name": code, "message": message}, "id": "", "notifyOff": True, "userFacing": True}
    return RestletError(400, code, json.dumps(serialised))


def missing_script() -> RestletError:
    return RestletError(404, "SSS_INVALID_SCRIPTLET_ID", "That Suitelet is invalid, disabled, or no longer exists.")


def _json(body: dict) -> Response:
    return Response(json.dumps(body), 200, media_type="application/json")


def _invoice_id(raw: str | None) -> int:
    if not raw:
        raise script_error("SB_INVALID_ID", "The id parameter is required: the invoice internal id.")
    if not (raw.isascii() and raw.isdigit() and raw[0] != "0" and len(raw) <= MAX_ID_DIGITS):
        raise script_error("SB_INVALID_ID",
                           "The id parameter must be an invoice internal id (a positive whole number).")
    return int(raw)


def _check_invoice_access(ctx: Ctx) -> None:
    """A role without Transactions > Invoice (View): ``permissions_missing`` names ``invoice``."""
    if "invoice" in {name.lower() for name in ctx.account.permissions_missing}:
        raise script_error("SB_NO_INVOICE_ACCESS",
                           "The role used by suitebridge lacks the Transactions > Invoice (View) permission.")


async def _invoice_pdf(ctx: Ctx, request: Request) -> Response:
    _check_invoice_access(ctx)
    if ctx.query.get("ping") == "1":
        return _json({"ok": True, "script": SCRIPT})
    invoice_id = _invoice_id(ctx.query.get("id"))
    kind = ctx.store.scalar('SELECT type FROM "transaction" WHERE id = ?', (invoice_id,))
    if kind is None:
        raise script_error("SB_INVOICE_NOT_FOUND", f"No invoice has internal id {invoice_id}.")
    if RECORD_TYPES.get(kind, kind) != "invoice":
        raise script_error("SB_NOT_AN_INVOICE", f"Transaction {invoice_id} is not an invoice.")
    invoice = pdf.invoice_data(ctx.store, invoice_id)
    content = pdf.render(invoice)
    spoil = spoiled.kind_for(ctx.account.restlet_answer, invoice_id)
    if spoil:
        return spoiled.answer(spoil, invoice_id)
    return _json({"fileName": f"{invoice['tranid'] or invoice_id}.pdf", "contentType": "application/pdf",
                  "base64": base64.b64encode(content).decode()})

def match(request: Request) -> Route:
    script = request.query_params.get("script", "")
    deploy = request.query_params.get("deploy", "")
    template = f"{request.method} restlet:{script}"
    if script != SCRIPT or deploy not in (DEPLOY, "1"):
        raise missing_script()
    if request.method != "GET":
        raise RestletError(405, "SSS_INVALID_HTTP_METHOD", f"The {request.method} method is not supported by this script.")
    return Route(template, _invoice_pdf, False, "restlets", "bundle_installed")
