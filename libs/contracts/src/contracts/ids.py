"""Deterministic platform ids for NetSuite records (decision 0006)."""
from __future__ import annotations

import uuid

from contracts.envelope import uuid5_text


def account_scope(first_account_id: str | None, account_id: str | None) -> str | None:
    """The id scope of a tenant's records in ``account_id``: None (the original ids) in the first
    account the tenant connected, the account id (upper case) in any account it switched to later."""
    if not first_account_id or not account_id or first_account_id.upper() == account_id.upper():
        return None
    return account_id.upper()


def may_be_netsuite_invoice(platform_id: str) -> bool:
    """Whether ``platform_id`` has the form suitebridge gives the platform id of a NetSuite invoice: a
    version-5 UUID in canonical form (``platform_invoice_id``). An id without that form can never be
    a NetSuite invoice's: it is proven platform-created (R14; decision writeback-r14-only-on-proof)."""
    try:
        parsed = uuid.UUID(platform_id)
    except (ValueError, TypeError):
        return False
    return parsed.version == 5 and str(parsed) == platform_id


def record_key(netsuite_id: str, scope: str | None) -> str:
    """A NetSuite record's key among all of a tenant's accounts: the internal id in the first account,
    ``<scope>@<id>`` in a later one. ``@`` never occurs in an internal id (digits), so keys never meet."""
    return netsuite_id if scope is None else f"{scope}@{netsuite_id}"


def netsuite_id_of(key: str) -> str:
    """The NetSuite internal id in a ``record_key``."""
    return key.rpartition("@")[2]


def platform_invoice_id(tenant_id: str, netsuite_id: str, scope: str | None = None) -> str:
    """``netsuite_id`` may also be a ``record_key`` (then without ``scope``): both give the same id."""
    return uuid5_text(f"invoice:{tenant_id}:{record_key(netsuite_id, scope)}")


def platform_customer_id(tenant_id: str, netsuite_id: str, scope: str | None = None) -> str:
    return uuid5_text(f"customer:{tenant_id}:{record_key(netsuite_id, scope)}")


def netsuite_external_id(kind: str, tenant_id: str, platform_id: str) -> str:
    """externalId of a record suitebridge writes to NetSuite, e.g. ``sb-pay-<tenant>-<payment>``.

    The ``sb-`` prefix is how the connector recognises suitebridge's own writes (echoes). A
    platform id without ``-`` gives the original form: the part after the last ``-`` is the
    platform id, so tenants cannot collide. A platform id with ``-`` is escaped (``_`` -> ``__``,
    ``-`` -> ``_d``) and the id ends in ``-``, which no original form does (platform ids are never
    empty): no two (kind, tenant, id) share an externalId (decision externalid-escaping).
    """
    if "-" not in platform_id:
        return f"sb-{kind}-{tenant_id}-{platform_id}"
    escaped = platform_id.replace("_", "__").replace("-", "_d")
    return f"sb-{kind}-{tenant_id}-{escaped}-"


ECHO_PREFIX = "sb-"
