"""Issue 13: Schemathesis against each service's OpenAPI, on loopback, with bounded examples:
no answer is a 5xx, and every API error is the documented envelope
``{"error": {"code", "message"}}`` (the OAuth callback and the dashboard answer HTML pages)."""
from __future__ import annotations

import threading
import time
import uuid

import pytest
import schemathesis
import uvicorn
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode

from connector.testing import ADMIN_TOKEN as CONNECTOR_ADMIN, settings_for
from sb_writeback.testing import StaticCredentials

ADMIN = "admin-token-for-fuzzing"
SIGNING = "signing-key-for-fuzzing"
EXAMPLES = settings(max_examples=12, deadline=None, derandomize=True, database=None,
                    suppress_health_check=list(HealthCheck))
HTML_PATHS = ("/dashboard", "/v1/oauth/netsuite/callback")
# Bearer tokens shaped like ours or not at all, with any character a header can carry.
HEADER_TEXT = st.text(st.characters(min_codepoint=0x20, max_codepoint=0xFF, exclude_characters="\x7f."), max_size=12)
TOKENS = st.one_of(HEADER_TEXT, st.builds(lambda prefix, parts: ".".join([prefix, *parts]),
                                          st.sampled_from(["sbt", "sbt2"]), st.lists(HEADER_TEXT, min_size=3, max_size=4)))


class Served:
    """A service's ASGI app (lifespan included) on a loopback port in a thread of its own."""

    def __init__(self, app):
        self.server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=0, log_config=None,
                                                    lifespan="on", access_log=False))
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self) -> str:
        self.thread.start()
        deadline = time.monotonic() + 90
        while not self.server.started:
            if not self.thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("the service did not start")
            time.sleep(0.05)
        return f"http://127.0.0.1:{self.server.servers[0].sockets[0].getsockname()[1]}"

    def __exit__(self, *exc) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=30)


def _connector(database_url, kafka, ns, port):
    from connector.app import create_app

    return create_app(settings_for(ns.url, ns.oauth2, database_url, kafka, f"connector_fz{uuid.uuid4().hex[:8]}",
                                   port), configure_logs=False)


def _invoice_sync(database_url, kafka, *_):
    from invoice_sync.app import create_app
    from invoice_sync.settings import Settings

    return create_app(Settings(database_url=database_url, kafka_bootstrap_servers=kafka, admin_token=ADMIN,
                               token_signing_key=SIGNING, consumer_group=f"fz-{uuid.uuid4().hex[:8]}",
                               log_level="warning"), schema=f"invoice_sync_fz{uuid.uuid4().hex[:8]}")


def _writer(package: str):
    def build(database_url, kafka, *_):
        module = __import__(f"{package}.app", fromlist=["create_app"])
        settings_module = __import__(f"{package}.settings", fromlist=["Settings"])
        suffix = f".fz{uuid.uuid4().hex[:8]}"
        settings = settings_module.Settings(database_url=database_url, kafka_bootstrap_servers=kafka,
                                            topic_suffix=suffix, consumer_group=f"{package}{suffix}",
                                            topic_partitions=1, admin_token=ADMIN, token_signing_key=SIGNING,
                                            log_level="warning")
        return module.create_app(settings, StaticCredentials())
    return build


SERVICES = {"connector": (_connector, CONNECTOR_ADMIN), "invoice-sync": (_invoice_sync, ADMIN),
            "payment-reconciler": (_writer("payment_reconciler"), ADMIN),
            "deposit-writer": (_writer("deposit_writer"), ADMIN)}


@pytest.fixture(scope="module", params=sorted(SERVICES))
def service(request, database_url, kafka_bootstrap, ns, callback_port):
    build, admin = SERVICES[request.param]
    with Served(build(database_url, kafka_bootstrap, ns, callback_port)) as url:
        yield url, admin


def _check(case, response) -> None:
    where = f"{case.method} {case.formatted_path} -> {response.status_code}: {response.text[:300]}"
    assert response.status_code < 500, where
    if response.status_code < 400 or case.path.startswith(HTML_PATHS):
        return
    body = response.json()
    assert set(body) == {"error"}, where
    assert isinstance(body["error"].get("code"), str) and isinstance(body["error"].get("message"), str), where


def _fuzz(operation, url: str, admin: str, mode: GenerationMode) -> bool:
    """Fuzz one operation; False when the mode has nothing to generate for it (no negation)."""
    @EXAMPLES
    @given(case=operation.as_strategy(generation_mode=mode), token=TOKENS)
    def run(case, token: str) -> None:
        for headers in ({"Authorization": f"Bearer {admin}"}, {}, {"Authorization": f"Bearer {token}"}):
            _check(case, case.call(base_url=url, headers=headers, allow_redirects=False))

    try:
        run()
    except Unsatisfiable:
        return False
    return True


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
def test_no_request_makes_a_service_answer_5xx_or_leave_the_error_envelope(service, mode):
    url, admin = service
    operations = [result.ok() for result in schemathesis.openapi.from_url(f"{url}/openapi.json").get_all_operations()]
    fuzzed = [operation.label for operation in operations if _fuzz(operation, url, admin, mode)]
    if mode == GenerationMode.POSITIVE:  # negative mode has nothing to negate in some operations
        assert len(fuzzed) == len(operations)
