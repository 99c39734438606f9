"""The control surface and the in-process testing helpers."""

import httpx
import pytest

from netsuite_emulator.testing import emulator as async_emulator
from netsuite_emulator.testing import running_emulator

FIXED_TBA = {"consumer_key": "ck", "consumer_secret": "cs", "token_id": "ti", "token_secret": "ts"}


def test_create_account_returns_credentials(emulator):
    created = emulator.create_account(account_id="TSTDRV7001", seed={"customers": 3, "invoices": 12, "months": 3},
                                      concurrency_limit=5, timezone="Europe/London", tba=FIXED_TBA)
    assert created["account_id"] == "TSTDRV7001" and created["tba"] == FIXED_TBA
    assert created["oauth2"] == emulator.oauth2 and created["admin_user"] == {"entity": "-5", "role": "3"}
    shown = emulator.get_account("tstdrv7001")
    assert shown["concurrency_limit"] == 5 and shown["timezone"] == "Europe/London"
    assert shown["records"]["invoice"] == 12
    duplicate = httpx.post(f"{emulator.url}/_emulator/accounts", json={"account_id": "TSTDRV7001"})
    assert duplicate.status_code == 400


def test_patch_rejects_unknown_settings(emulator, credentials):
    response = httpx.patch(f"{emulator.url}/_emulator/accounts/{credentials['account_id']}", json={"bogus": 1})
    assert response.status_code == 400
    assert httpx.get(f"{emulator.url}/_emulator/accounts/NOPE").status_code == 404


def test_seed_is_deterministic(emulator, client_for):
    seed = {"customers": 4, "invoices": 40, "months": 6, "random_seed": 11, "end_date": "2026-06-30"}
    dumps = []
    for _ in range(2):
        client = client_for(emulator.create_account(seed=seed))
        dumps.append(client.suiteql("SELECT id, tranid, type, entity, trandate, foreigntotal, foreignamountunpaid, "
                                    "status FROM transaction ORDER BY id")["items"])
    assert dumps[0] == dumps[1] and len(dumps[0]) > 40
    other = client_for(emulator.create_account(seed={**seed, "random_seed": 12}))
    assert other.suiteql("SELECT id, foreigntotal FROM transaction ORDER BY id")["items"] != [
        {"links": [], "id": row["id"], "foreigntotal": row["foreigntotal"]} for row in dumps[0]]


def test_reset_drops_accounts_and_sync_helper_works():
    with running_emulator(oauth_client_id="my-client") as running:
        assert running.oauth2["client_id"] == "my-client" and running.url.startswith("http://127.0.0.1:")
        created = running.create_account()
        assert running.patch_account(created["account_id"], latency_ms=5)["latency_ms"] == 5
        running.reset()
        with pytest.raises(RuntimeError):
            running.get_account(created["account_id"])


async def test_async_helper():
    async with async_emulator() as running:
        created = running.create_account(seed={"customers": 1, "invoices": 2})
        async with httpx.AsyncClient() as client:
            response = await client.get(f"{running.url}/_emulator/accounts/{created['account_id']}/stats")
        assert response.json()["records"]["invoice"] == 2


def test_command_line_server():
    import socket
    import subprocess
    import sys
    import time

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    process = subprocess.Popen([sys.executable, "-m", "netsuite_emulator", "serve", "--port", str(port),
                                "--oauth-client-id", "cli-client", "--log-level", "warning"])
    try:
        deadline = time.monotonic() + 15
        while True:
            try:
                if httpx.get(f"http://127.0.0.1:{port}/_emulator/health").status_code == 200:
                    break
            except httpx.TransportError:
                assert time.monotonic() < deadline, "server did not start"
                time.sleep(0.1)
        created = httpx.post(f"http://127.0.0.1:{port}/_emulator/accounts", json={}).json()
        assert created["oauth2"]["client_id"] == "cli-client"
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_tls(tmp_path):
    import datetime

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "tstdrv1.suitetalk.api.netsuite.com")])
    now = datetime.datetime.now(datetime.timezone.utc)
    certificate = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
                   .serial_number(1).not_valid_before(now).not_valid_after(now + datetime.timedelta(days=1))
                   .sign(key, hashes.SHA256()))
    (tmp_path / "cert.pem").write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    (tmp_path / "key.pem").write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                                         serialization.NoEncryption()))
    with running_emulator(tls_cert=str(tmp_path / "cert.pem"), tls_key=str(tmp_path / "key.pem")) as running:
        assert running.url.startswith("https://")
        created = running.create_account()
        response = httpx.get(f"{running.rest_base(created['account_id'])}/record/v1/customer", verify=False)
        assert response.status_code == 401
        assert response.json()["o:errorDetails"][0]["o:errorCode"] == "INVALID_LOGIN"


def test_the_account_clock_is_set_at_creation_and_moves_on_when_told(emulator, client_for):
    created = emulator.create_account(seed={"customers": 2, "invoices": 6, "months": 2, "random_seed": 4},
                                      now="2027-03-13T09:30:00Z", timezone="America/New_York")
    account_id = created["account_id"]
    assert emulator.clock(account_id).startswith("2027-03-13T09:3")
    client = client_for(created)
    newest = client.suiteql("SELECT TO_CHAR(MAX(trandate), 'YYYY-MM-DD') AS d FROM transaction "
                            "WHERE type = 'CustInvc'")["items"][0]["d"]
    assert "2027-01-01" <= newest <= "2027-03-13"  # the seed ends on the account's today, not the machine's
    clock_query = "SELECT TO_CHAR(SYSDATE, 'YYYY-MM-DD HH24:MI') AS now FROM currency WHERE ROWNUM <= 1"
    assert client.suiteql(clock_query)["items"][0]["now"].startswith("2027-03-13 04:3")  # EST, before DST
    emulator.advance_clock(account_id, 86_400)  # across the switch to daylight saving time (14 March 2027)
    assert client.suiteql(clock_query)["items"][0]["now"].startswith("2027-03-14 05:3")  # EDT
    invoice_id = client.suiteql("SELECT id FROM transaction WHERE type = 'CustInvc' ORDER BY id")["items"][0]["id"]
    assert client.request("PATCH", f"/record/v1/invoice/{invoice_id}", json={"memo": "later"}).status_code == 204
    modified = client.record("invoice", invoice_id)["lastModifiedDate"]
    assert modified.startswith("2027-03-14T09:3")


def test_the_clock_refuses_to_go_back_or_a_time_without_a_zone(emulator, credentials):
    account_id = credentials["account_id"]
    with pytest.raises(RuntimeError, match="only moves forward"):
        emulator.advance_clock(account_id, -5)
    with pytest.raises(RuntimeError, match="time zone"):
        emulator.set_clock(account_id, "2027-01-01T00:00:00")
