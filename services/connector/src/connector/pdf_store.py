"""SQL for invoice PDF bytes, content-addressed (decision 0007): stored once, served to invoice-sync."""
from __future__ import annotations

import hashlib

import asyncpg

SAVE = "INSERT INTO pdf_blob (sha256, content, size) VALUES ($1, $2, $3) ON CONFLICT (sha256) DO NOTHING"
LOAD = "SELECT content FROM pdf_blob WHERE sha256 = $1"


async def save(connection: asyncpg.Connection, content: bytes) -> str:
    """Keep ``content`` (once, whoever stored the same bytes before); returns its SHA-256."""
    sha256 = hashlib.sha256(content).hexdigest()
    await connection.execute(SAVE, sha256, content, len(content))
    return sha256


async def load(connection: asyncpg.Connection, sha256: str) -> bytes | None:
    return await connection.fetchval(LOAD, sha256)


def location(sha256: str) -> str:
    """Where the bytes are served on the internal listener (the event's ``location``)."""
    return f"/internal/pdfs/{sha256}"
