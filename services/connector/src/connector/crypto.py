"""Tokens at rest: Fernet encryption with key rotation (the first key encrypts, every key decrypts)."""
from __future__ import annotations

import base64
import hashlib

from cryptography.fernet import Fernet, InvalidToken, MultiFernet

from connector.errors import NotConfigured, Permanent


def _fernet(key: str) -> Fernet:
    """A Fernet from a Fernet key, or from any other secret text (derived with SHA-256)."""
    try:
        return Fernet(key.encode())
    except ValueError:
        return Fernet(base64.urlsafe_b64encode(hashlib.sha256(key.encode()).digest()))


class TokenCipher:
    def __init__(self, keys: list[str]):
        keys = [key.strip() for key in keys if key.strip()]
        self._fernet = MultiFernet([_fernet(key) for key in keys]) if keys else None

    @classmethod
    def from_setting(cls, value: str) -> TokenCipher:
        return cls(value.split(","))

    @property
    def configured(self) -> bool:
        return self._fernet is not None

    def _require(self) -> MultiFernet:
        if self._fernet is None:
            raise NotConfigured("CONNECTOR_TOKEN_ENCRYPTION_KEYS is not set: tokens cannot be stored safely.")
        return self._fernet

    def encrypt(self, plain: str) -> bytes:
        return self._require().encrypt(plain.encode())

    def decrypt(self, sealed: bytes) -> str:
        try:
            return self._require().decrypt(bytes(sealed)).decode()
        except InvalidToken as error:
            raise Permanent("a stored token cannot be decrypted with the configured keys") from error

    def rotate(self, sealed: bytes) -> bytes:
        """Re-encrypt with the first key (after a key was added in front)."""
        return self._require().rotate(bytes(sealed))
