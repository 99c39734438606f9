"""OAuth 2.0 tokens shaped like NetSuite's (RS256 JWTs, §6.2), signed with an in-memory key.

Validity is decided by the account's token table (so revocation works); the JWT signature only
proves the emulator issued the token."""

import base64
import json
import time
import uuid

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa

HEADER = {"kid": "s.SYSTEM.2020_1", "typ": "JWT", "alg": "RS256"}
APP_ID = "EMULATOR-APP-0001"


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


class TokenIssuer:
    def __init__(self):
        self.key = rsa.generate_private_key(public_exponent=65537, key_size=2048)

    def issue(self, account_id: str, client_id: str, scope: list[str], kind: str, ttl_s: int,
              now: float, original_issue: int | None = None) -> tuple[str, dict]:
        """`now` is the account's clock (epoch seconds), so tests can move expiry without waiting."""
        now = int(now)
        claims = {
            "sub": "3;-5", "aud": [f"{APP_ID};{account_id}", client_id], "scope": scope,
            "iss": "https://system.netsuite.com", "oit": original_issue or now, "iat": now,
            "exp": now + ttl_s, "jti": f"{account_id}.{kind}.{uuid.uuid4()}_{time.time_ns() // 1_000_000}.0",
        }
        signing_input = f"{_b64(json.dumps(HEADER).encode())}.{_b64(json.dumps(claims).encode())}"
        signed = self.key.sign(signing_input.encode(), padding.PKCS1v15(), hashes.SHA256())
        return f"{signing_input}.{_b64(signed)}", claims

    def decode(self, token: str) -> dict | None:
        try:
            header, payload, signed = token.split(".")
            self.key.public_key().verify(
                _unb64(signed), f"{header}.{payload}".encode(), padding.PKCS1v15(), hashes.SHA256())
            return json.loads(_unb64(payload))
        except (ValueError, InvalidSignature):
            return None
