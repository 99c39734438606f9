"""Customers (R2, R7): NetSuite creates and updates flow to the platform; inactivation does not."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

from contracts.customers import CustomerChangedData
from contracts.ids import platform_customer_id, record_key


@dataclass(frozen=True)
class Customer:
    """A customer as stored: the NetSuite fields it came from plus what the platform shows."""

    tenant_id: str
    netsuite_id: str
    id: str
    name: str
    email: str | None
    currency: str | None
    subsidiary: str | None
    inactive: bool
    last_modified: dt.datetime
    version: int = 0
    updated_at: dt.datetime | None = None

    def platform_fields(self) -> tuple:
        """What the platform sees. ``inactive`` is not in it: R7, archiving stays manual on both sides."""
        return (self.id, self.netsuite_id, self.name, self.email, self.currency)


@dataclass(frozen=True)
class CustomerChange:
    customer: Customer  # what to store
    published: bool  # the platform view changed: bump the version and publish


def apply_change(tenant_id: str, current: Customer | None, change: CustomerChangedData) -> CustomerChange | None:
    """None when ``change`` is older than what is stored (a late or replayed event)."""
    if current is not None and change.last_modified < current.last_modified:
        return None
    key = record_key(change.netsuite_id, change.id_scope)  # stored under it; the platform sees the NetSuite id
    incoming = Customer(
        tenant_id=tenant_id, netsuite_id=key, id=platform_customer_id(tenant_id, key),
        name=change.name, email=change.email, currency=change.currency, subsidiary=change.subsidiary,
        inactive=change.inactive, last_modified=change.last_modified,
    )
    if current is not None and current.platform_fields() == incoming.platform_fields():
        return CustomerChange(replace(incoming, version=current.version, updated_at=current.updated_at), published=False)
    version = current.version + 1 if current is not None else 1
    return CustomerChange(replace(incoming, version=version, updated_at=change.last_modified), published=True)
