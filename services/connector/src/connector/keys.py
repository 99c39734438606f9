"""The explicit key-rotation step: re-encrypt every stored NetSuite token with the first key of
``CONNECTOR_TOKEN_ENCRYPTION_KEYS``. Run it once after every instance has the new key (a service
starting never rewrites tokens: an instance still on the old key list must keep reading them)."""
from __future__ import annotations

from sb_runtime import db
from sb_runtime.logging import get_logger

from connector import token_store
from connector.crypto import TokenCipher
from connector.errors import NotConfigured
from connector.settings import Settings

log = get_logger(__name__)


async def rotate_keys(settings: Settings) -> tuple[int, list[str]]:
    """(tokens re-encrypted, tenants whose tokens no configured key opens)."""
    cipher = TokenCipher.from_setting(settings.token_encryption_keys.get_secret_value())
    if not cipher.configured:
        raise NotConfigured("CONNECTOR_TOKEN_ENCRYPTION_KEYS is not set.")
    pool = await db.create_pool(settings.database_url.get_secret_value(), settings.database_schema, 1, 2)
    try:
        rotated, unreadable = await token_store.rotate_tokens(pool, cipher.rotate)
    finally:
        await pool.close()
    log.info("tokens.rotated", count=rotated, unreadable=len(unreadable))
    return rotated, unreadable
