-- The tenants and action_items tables come from sb_writeback (migrations/0001_setup_and_action_items.sql).

-- The invoice map (from suitebridge.invoices.v1): platform invoice id -> NetSuite invoice.
CREATE TABLE invoices (
    tenant_id            text          NOT NULL,
    invoice_id           text          NOT NULL,
    netsuite_invoice_id  text          NOT NULL,
    netsuite_customer_id text          NOT NULL,
    number               text          NOT NULL,
    currency             text          NOT NULL,
    amount_remaining     numeric(17,2) NOT NULL,
    archived             boolean       NOT NULL,
    version              bigint        NOT NULL,
    PRIMARY KEY (tenant_id, invoice_id)
);

-- One row per platform payment: its state is committed before and after every NetSuite write.
-- waiting: blocked (account setup, connection); pending: to be written (planned_apply, once set,
-- is the body any earlier attempt may have committed); written / deposited: in NetSuite;
-- action_needed: the partner must act; failed: PaymentFailed seen (details may arrive later).
CREATE TABLE payments (
    tenant_id            text          NOT NULL,
    payment_id           text          NOT NULL,
    state                text          NOT NULL
        CHECK (state IN ('waiting', 'pending', 'written', 'deposited', 'action_needed', 'failed')),
    invoice_id           text,
    customer_id          text,
    amount               numeric(17,2),
    surcharge            numeric(17,2),
    currency             text,
    method               text,
    received_at          timestamptz,
    origin               text CHECK (origin IN ('netsuite', 'platform')),
    netsuite_invoice_id  text,
    netsuite_customer_id text,
    invoice_number       text,
    planned_apply        numeric(17,2),
    applied_amount       numeric(17,2),
    netsuite_record_id   text,
    reason               text,
    failed_at            timestamptz,
    failure_reason       text,
    attempts             integer       NOT NULL DEFAULT 0,
    last_error           text,
    next_attempt_at      timestamptz,
    created_at           timestamptz   NOT NULL DEFAULT now(),
    updated_at           timestamptz   NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, payment_id)
);
CREATE INDEX payments_unfinished ON payments (updated_at) WHERE state IN ('waiting', 'pending');
