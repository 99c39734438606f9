"""The record types the REST record service exposes, and how each is read, written and filtered."""

from collections.abc import Callable
from dataclasses import dataclass, field

from netsuite_emulator import (rec_creditmemo, rec_customer, rec_deposit, rec_invoice, rec_payment,
                               rec_reference, transforms)

TRANSACTION_FIELDS = {
    "id": ("id", "number"), "externalid": ("externalid", "string"), "tranid": ("tranid", "string"),
    "lastmodifieddate": ("lastmodifieddate", "datetime"), "createddate": ("createddate", "datetime"),
    "trandate": ("trandate", "date"), "duedate": ("duedate", "date"), "entity": ("entity", "number"),
    "customer": ("entity", "number"), "currency": ("currency", "number"), "memo": ("memo", "string"),
    "subsidiary": ("subsidiary", "number"),
}
CUSTOMER_FIELDS = {
    "id": ("id", "number"), "externalid": ("externalid", "string"), "entityid": ("entityid", "string"),
    "companyname": ("companyname", "string"), "email": ("email", "string"), "isinactive": ("isinactive", "boolean"),
    "lastmodifieddate": ("lastmodifieddate", "datetime"), "datecreated": ("datecreated", "datetime"),
    "subsidiary": ("subsidiary", "number"), "currency": ("currency", "number"),
}
SIMPLE_FIELDS = {"id": ("id", "number"), "isinactive": ("isinactive", "boolean")}


@dataclass(frozen=True)
class RecordType:
    name: str
    table: str
    recordtype: str | None
    get: Callable
    create: Callable | None = None
    update: Callable | None = None
    delete: Callable | None = None
    fields: dict = field(default_factory=dict)
    transforms: dict = field(default_factory=dict)

    @property
    def has_external_id(self) -> bool:
        return self.create is not None


def _transaction(module, **extra) -> RecordType:
    return RecordType(module.RECORD_TYPE, "transaction", module.RECORD_TYPE, module.get, module.create,
                      module.update, module.delete, TRANSACTION_FIELDS, **extra)


TYPES = {
    "customer": RecordType("customer", "customer", None, rec_customer.get, rec_customer.create,
                           rec_customer.update, rec_customer.delete, CUSTOMER_FIELDS),
    "invoice": _transaction(rec_invoice, transforms={
        "customerpayment": ("customerpayment", transforms.invoice_to_payment),
        "creditmemo": ("creditmemo", transforms.invoice_to_credit_memo)}),
    "creditmemo": _transaction(rec_creditmemo),
    "customerpayment": _transaction(rec_payment),
    "deposit": _transaction(rec_deposit),
    "account": RecordType("account", "account", None, rec_reference.get_account,
                          fields={**SIMPLE_FIELDS, "accttype": ("accttype", "string")}),
    "subsidiary": RecordType("subsidiary", "subsidiary", None, rec_reference.get_subsidiary, fields=SIMPLE_FIELDS),
    "currency": RecordType("currency", "currency", None, rec_reference.get_currency, fields=SIMPLE_FIELDS),
}


def find(name: str) -> RecordType | None:
    return TYPES.get(name.lower())
