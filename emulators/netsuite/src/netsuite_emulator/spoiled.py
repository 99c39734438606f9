"""What a broken bundle deployment answers instead of a PDF (the ``restlet_answer`` test knob).

A customised or half-updated script, a proxy's login page or a wrong deployment can answer a
RESTlet call with HTML or with JSON that holds no PDF; the connector must report that invoice and
go on with the others.
"""

import base64
import json

from starlette.responses import Response

HTML = ("<!DOCTYPE html><html><head><title>NetSuite</title></head><body><p>An unexpected error has "
        "occurred. Please click here to notify support and provide your contact information.</p></body></html>")
ANSWERS = ("html", "garbage", "no_base64", "not_pdf")


def validate(setting) -> None:
    kinds = setting.values() if isinstance(setting, dict) else [setting]
    if setting is not None and not all(kind in ANSWERS for kind in kinds):
        raise ValueError(f"restlet_answer must be null, one of {list(ANSWERS)} or {{invoice id: one of them}}")


def kind_for(setting, invoice_id: int) -> str | None:
    """``setting`` is one kind for every invoice, or a map ``{invoice id: kind}``."""
    if isinstance(setting, dict):
        return setting.get(str(invoice_id))
    return setting


def answer(kind: str, invoice_id: int) -> Response:
    if kind == "html":
        return Response(HTML, 200, media_type="text/html")
    if kind == "garbage":
        return Response(b"\x00\x1f garbage \xff{", 200, media_type="application/json")
    if kind == "no_base64":
        return _json({"fileName": f"{invoice_id}.pdf", "contentType": "application/pdf"})
    if kind == "not_pdf":
        return _json({"fileName": f"{invoice_id}.pdf", "contentType": "application/pdf",
                      "base64": base64.b64encode(b"<html>not a pdf</html>").decode()})
    raise ValueError(f"unknown restlet_answer {kind!r}: one of {ANSWERS}")


def _json(body: dict) -> Response:
    return Response(json.dumps(body), 200, media_type="application/json")
