"""Topic names. A breaking change to an event means a new version suffix (``.v2``)."""

# Upstream platform (consumed exactly as the platform publishes them).
PLATFORM_PAYMENTS = "platform.payments.v1"
PLATFORM_PAYOUTS = "platform.payouts.v1"

# NetSuite changes, published by the connector. Key: "<tenant>:<netsuite id>".
NETSUITE_INVOICES = "netsuite.invoices.v1"
NETSUITE_CUSTOMERS = "netsuite.customers.v1"
NETSUITE_PAYMENTS = "netsuite.payments.v1"  # customer payments, credit memos, deposits
NETSUITE_INVOICE_PDFS = "netsuite.invoice-pdfs.v2"  # the PDF by reference (decision 0007)
NETSUITE_INVOICE_PDFS_V1 = "netsuite.invoice-pdfs.v1"  # bytes inline: no longer published, still consumed
NETSUITE_SETUP = "netsuite.setup.v1"  # connection state and account setup per tenant

# suitebridge's own streams.
INVOICES = "suitebridge.invoices.v1"
CUSTOMERS = "suitebridge.customers.v1"
PAYMENT_OUTCOMES = "suitebridge.payment-outcomes.v1"
PAYOUT_OUTCOMES = "suitebridge.payout-outcomes.v1"
ACTION_ITEMS = "suitebridge.action-items.v1"

ALL = (
    PLATFORM_PAYMENTS, PLATFORM_PAYOUTS,
    NETSUITE_INVOICES, NETSUITE_CUSTOMERS, NETSUITE_PAYMENTS, NETSUITE_INVOICE_PDFS, NETSUITE_INVOICE_PDFS_V1,
    NETSUITE_SETUP,
    INVOICES, CUSTOMERS, PAYMENT_OUTCOMES, PAYOUT_OUTCOMES, ACTION_ITEMS,
)


def dlq(topic: str) -> str:
    return topic + ".dlq"

