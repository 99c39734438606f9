"""Secrets of the local stack, generated once and kept in .suitebridge/secrets.json (gitignored).

Kept across restarts so tokens stored encrypted in the database stay readable.
"""
from __future__ import annotations

import base64
import json
import os
import secrets
from pathlib import Path


def load_or_create(path: Path) -> dict[str, str]:
    if path.exists():
        return json.loads(path.read_text())
    values = {
        "admin_token": "sba_" + secrets.token_urlsafe(24),
        "token_signing_key": secrets.token_urlsafe(32),
        "token_encryption_key": base64.urlsafe_b64encode(os.urandom(32)).decode(),
        "oauth_client_id": "suitebridge-" + secrets.token_hex(8),
        "oauth_client_secret": secrets.token_urlsafe(24),
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(values, indent=2))
    path.chmod(0o600)
    return values
