"""R5: the PDF bytes must be what the event says they are, or the event is poison."""
import base64
import hashlib

import pytest

from invoice_sync.errors import Permanent
from invoice_sync.pdfs import verified, verified_content
from invoice_sync.testing import minimal_pdf, pdf_fetched

T = "msp-acme"


def test_a_pdf_with_its_sha256_is_accepted():
    content = minimal_pdf("INV901")
    assert verified_content(pdf_fetched(T, "901", content, minute=1).data) == content


HTML = b"<html>"


@pytest.mark.parametrize("change", [
    {"sha256": "0" * 64},
    {"content_base64": "not base64!"},
    {"content_base64": base64.b64encode(HTML).decode(), "sha256": hashlib.sha256(HTML).hexdigest()},
], ids=["sha256 mismatch", "not base64", "not a pdf"])
def test_a_pdf_that_is_not_what_it_claims_is_permanent(change):
    data = pdf_fetched(T, "901", minimal_pdf("x"), minute=1).data.model_copy(update=change)
    with pytest.raises(Permanent):
        verified_content(data)


def test_fetched_bytes_must_match_the_announced_sha256_and_size():
    content = minimal_pdf("INV902")
    sha256 = hashlib.sha256(content).hexdigest()
    assert verified("902", sha256, content, len(content)) == content
    for wrong in [(sha256, content + b" ", len(content)), (sha256, content, len(content) + 1), ("0" * 64, content, None)]:
        with pytest.raises(Permanent):
            verified("902", *wrong)
