-- invoice-sync state. Inputs are kept as they arrived (NetSuite versions, platform payment
-- outcomes, deposits, archives, PDFs); `invoices` and `customers` hold the platform view computed
-- from them, which the read API serves and the outbox publishes.

-- Every NetSuite version of every invoice, keyed by NetSuite lastModifiedDate (second precision):
-- the InvoiceChanged event exactly as it arrived (JSON bytes; read back only to recompute).
CREATE TABLE invoice_versions (
    tenant_id     text        NOT NULL,
    netsuite_id   text        NOT NULL,
    last_modified timestamptz NOT NULL,
    event         bytea       NOT NULL,
    PRIMARY KEY (tenant_id, netsuite_id, last_modified)
);

-- Deleted or voided in NetSuite (R6). The earliest detection wins; never removed.
CREATE TABLE invoice_archives (
    tenant_id   text        NOT NULL,
    netsuite_id text        NOT NULL,
    reason      text        NOT NULL,
    detected_at timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, netsuite_id)
);

-- Platform payments on NetSuite invoices, merged from PaymentOutcomeRecorded.
CREATE TABLE platform_payments (
    tenant_id           text           NOT NULL,
    payment_id          text           NOT NULL,
    invoice_id          text           NOT NULL,  -- platform invoice id
    amount              numeric(17, 2) NOT NULL,
    applied_amount      numeric(17, 2),
    status              text           NOT NULL,  -- latest outcome
    netsuite_payment_id text,
    received_at         timestamptz,
    written_at          timestamptz,
    failed_at           timestamptz,
    last_recorded_at    timestamptz    NOT NULL,
    PRIMARY KEY (tenant_id, payment_id)
);
CREATE INDEX platform_payments_by_invoice ON platform_payments (tenant_id, invoice_id);
CREATE INDEX platform_payments_by_netsuite_id ON platform_payments (tenant_id, netsuite_payment_id);

-- NetSuite bank deposits (R4): the latest version's customer payments.
CREATE TABLE deposits (
    tenant_id     text        NOT NULL,
    netsuite_id   text        NOT NULL,
    last_modified timestamptz NOT NULL,
    payment_ids   text[]      NOT NULL,
    PRIMARY KEY (tenant_id, netsuite_id)
);
CREATE INDEX deposits_by_payment ON deposits USING gin (payment_ids);

-- Invoice PDFs (R5): bytes content-addressed, one current PDF per invoice.
CREATE TABLE pdf_blobs (
    sha256  text  PRIMARY KEY,
    content bytea NOT NULL
);
CREATE TABLE invoice_pdfs (
    tenant_id             text        NOT NULL,
    netsuite_id           text        NOT NULL,
    sha256                text        NOT NULL REFERENCES pdf_blobs (sha256),
    file_name             text        NOT NULL,
    invoice_last_modified timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, netsuite_id)
);

-- The platform invoice (view). One row per NetSuite invoice with at least one version.
CREATE TABLE invoices (
    tenant_id            text           NOT NULL,
    netsuite_id          text           NOT NULL,
    id                   text           NOT NULL,
    number               text           NOT NULL,
    customer_id          text           NOT NULL,
    customer_netsuite_id text           NOT NULL,
    currency             text           NOT NULL,
    subsidiary           text,
    memo                 text,
    issued_on            date           NOT NULL,
    due_on               date,
    total                numeric(17, 2) NOT NULL,
    amount_remaining     numeric(17, 2) NOT NULL,
    status               text           NOT NULL,
    paid_via_platform    boolean        NOT NULL,
    archived             boolean        NOT NULL,
    lines                jsonb          NOT NULL,
    pdf_sha256           text,
    payments             jsonb          NOT NULL,
    reverts              jsonb          NOT NULL,  -- R10 action items: payment id -> pending/resolved
    fingerprint          text           NOT NULL,  -- of the published view; unchanged view, no event
    version              integer        NOT NULL,  -- sequence of PlatformInvoiceUpdated for this invoice
    updated_at           timestamptz    NOT NULL,
    PRIMARY KEY (tenant_id, netsuite_id)
);
CREATE UNIQUE INDEX invoices_by_id ON invoices (tenant_id, id);
CREATE INDEX invoices_by_number ON invoices (tenant_id, number);
CREATE INDEX invoices_by_status ON invoices (tenant_id, status, id);

-- The platform customer (view) plus the NetSuite fields it came from.
CREATE TABLE customers (
    tenant_id     text        NOT NULL,
    netsuite_id   text        NOT NULL,
    id            text        NOT NULL,
    name          text        NOT NULL,
    email         text,
    currency      text,
    subsidiary    text,
    inactive      boolean     NOT NULL,  -- NetSuite's flag; never propagated (R7)
    last_modified timestamptz NOT NULL,
    version       integer     NOT NULL,  -- sequence of PlatformCustomerUpdated for this customer
    updated_at    timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, netsuite_id)
);
CREATE UNIQUE INDEX customers_by_id ON customers (tenant_id, id);
