"""Deterministic platform ids (decision 0006), memoised: a batch asks for the same ones several times.

Records are stored under their ``contracts.ids.record_key``: the NetSuite internal id in the
tenant's first account, ``<scope>@<id>`` in an account it switched to, so two accounts' records
never share a row or a platform id (docs/decisions/connector-account-identity.md).
"""
from functools import lru_cache

from contracts import ids
from contracts.envelope import Event

platform_invoice_id = lru_cache(maxsize=20_000)(ids.platform_invoice_id)
platform_customer_id = lru_cache(maxsize=20_000)(ids.platform_customer_id)
netsuite_id_of = ids.netsuite_id_of


def key_of(event: Event) -> tuple[str, str]:
    """(tenant, record key) of a NetSuite change event (an event kind without ``id_scope`` is unscoped)."""
    return event.tenant_id, ids.record_key(event.data.netsuite_id, getattr(event.data, "id_scope", None))
