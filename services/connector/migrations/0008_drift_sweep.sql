-- Drift repair (architecture §3): a cheap periodic sweep of open invoices heals what change
-- detection missed (docs/decisions/connector-drift-repair.md).
-- What the connector last published of each invoice it published as open (balance > 0).
CREATE TABLE IF NOT EXISTS published_open_invoice (
    tenant_id        text    NOT NULL,
    invoice_id       bigint  NOT NULL,
    amount_remaining numeric NOT NULL,
    modified         text    NOT NULL,  -- lastmodifieddate as published, account-local
    PRIMARY KEY (tenant_id, invoice_id)
);

-- Each tenant's sweep: where the running one is, and what the last ones found.
CREATE TABLE IF NOT EXISTS drift_sweep (
    tenant_id      text        PRIMARY KEY,
    baseline       boolean     NOT NULL DEFAULT false,  -- first sweep only records (tenants older than this table)
    last_id        bigint      NOT NULL DEFAULT 0,
    running        boolean     NOT NULL DEFAULT false,
    started_at     timestamptz,
    finished_at    timestamptz,
    checked        bigint      NOT NULL DEFAULT 0,  -- the running sweep so far
    repaired       bigint      NOT NULL DEFAULT 0,
    last_checked   bigint,                          -- the last finished sweep
    last_repaired  bigint,
    repaired_total bigint      NOT NULL DEFAULT 0
);
-- Tenants synced before this table existed: their first sweep records, it does not re-publish.
INSERT INTO drift_sweep (tenant_id, baseline) SELECT tenant_id, true FROM tenant ON CONFLICT DO NOTHING;
