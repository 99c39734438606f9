"""The bundle's RESTlet: customscript_sb_invoice_pdf renders an invoice PDF (like N/render)."""

import base64
import json

from starlette.requests import Request
from starlette.responses import Response

from netsuite_emulator import pdf
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


def missing_script() -> RestletError:
    return RestletError(404, "SSS_INVALID_SCRIPTLET_ID", "That Suitelet is invalid, disabled, or no longer exists.")


def _json(body: dict) -> Response:
    return Response(json.dumps(body), 200, media_type="application/json")


async def _invoice_pdf(ctx: Ctx, request: Request) -> Response:
    invoice_id = ctx.query.get("id", "")
    if not invoice_id.isdigit():
        raise RestletError(400, "SSS_MISSING_REQD_ARGUMENT", "id: Missing a required argument: id")
    invoice = pdf.invoice_data(ctx.store, int(invoice_id))
    if invoice is None:
        raise RestletError(400, "RCRD_DSNT_EXIST", "That record does not exist.")
    content = pdf.render(invoice)
    return _json({"fileName": f"{invoice['tranid']}.pdf", "contentType": "application/pdf",
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
