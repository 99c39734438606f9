"""Deterministic platform ids for NetSuite records (decision 0006)."""
from __future__ import annotations

import uuid

from contracts.envelope import NAMESPACE


def platform_invoice_id(tenant_id: str, netsuite_id: str) -> str:
    return str(uuid.uuid5(NAMESPACE, f"invoice:{tenant_id}:{netsuite_id}"))


def platform_customer_id(tenant_id: str, netsuite_id: str) -> str:
    return str(uuid.uuid5(NAMESPACE, f"customer:{tenant_id}:{netsuite_id}"))


def netsuite_external_id(kind: str, tenant_id: str, platform_id: str) -> str:
    """externalId of a record suitebridge writes to NetSuite, e.g. ``sb-pay-<tenant>-<payment>``.

    The ``sb-`` prefix is how the connector recognises suitebridge's own writes (echoes). When the
    platform id has no ``-`` the id is the original ``sb-<kind>-<tenant>-<id>``: the part after
    the last ``-`` is the platform id, so tenants cannot collide. A platform id with a ``-`` gets
    the kind ``<kind>_x`` and the id escaped (``_`` -> ``__``, ``-`` -> ``_d``), so it can neither
    collide with another tenant's id nor with an unescaped one (decision externalid-escaping).
    """
    if "-" not in platform_id:
        return f"sb-{kind}-{tenant_id}-{platform_id}"
    escaped = platform_id.replace("_", "__").replace("-", "_d")
    return f"sb-{kind}_x-{tenant_id}-{escaped}"


ECHO_PREFIX = "sb-"
