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
    """The stack's secrets; ones added since the file was written are generated and saved."""
    if path.exists():
        values = json.loads(path.read_text())
        if "internal_token" not in values:
            values["internal_token"] = "sbi_" + secrets.token_urlsafe(24)
            write_private(path, json.dumps(values, indent=2))
        return values
    values = {
        "admin_token": "sba_" + secrets.token_urlsafe(24),
        "token_signing_key": secrets.token_urlsafe(32),
        "token_encryption_key": base64.urlsafe_b64encode(os.urandom(32)).decode(),
        "oauth_client_id": "suitebridge-" + secrets.token_hex(8),
        "oauth_client_secret": secrets.token_urlsafe(24),
        "internal_token": "sbi_" + secrets.token_urlsafe(24),
    }
    write_private(path, json.dumps(values, indent=2))
    return values


def write_private(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` readable by the owner only, from the first byte on.

    The file is created 0600 under a temporary name and renamed over ``path``, so it is never
    visible with wider permissions (no chmod after the write, whatever the umask).
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(descriptor, "w") as file:
            file.write(text)
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
