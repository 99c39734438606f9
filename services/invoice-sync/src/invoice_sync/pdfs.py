"""Invoice PDFs (R5): the bytes travel in the event; they must be what the event says they are."""
from __future__ import annotations

import base64
import binascii
import hashlib

from contracts.invoices import InvoicePdfFetchedData

from invoice_sync.errors import Permanent

PDF_MAGIC = b"%PDF-"


def verified_content(data: InvoicePdfFetchedData) -> bytes:
    """The PDF bytes; ``Permanent`` (dead-letter) when they are not a PDF with the announced SHA-256."""
    try:
        content = base64.b64decode(data.content_base64, validate=True)
    except (binascii.Error, ValueError) as error:
        raise Permanent(f"invoice {data.netsuite_id}: PDF content is not base64") from error
    if hashlib.sha256(content).hexdigest() != data.sha256.lower():
        raise Permanent(f"invoice {data.netsuite_id}: PDF bytes do not match sha256 {data.sha256}")
    if not content.startswith(PDF_MAGIC):
        raise Permanent(f"invoice {data.netsuite_id}: content is not a PDF")
    return content
