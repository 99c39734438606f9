-- Cross-process NetSuite concurrency budget: N lease slots per tenant.
-- Applied with search_path set to the budget's schema (see pg_budget.install_schema).
-- A slot is free when holder IS NULL or its lease expired (a crashed holder frees it).
CREATE TABLE IF NOT EXISTS budget_lease (
    tenant_key  text        NOT NULL,
    slot        integer     NOT NULL CHECK (slot >= 0),
    holder      text,
    expires_at  timestamptz,
    PRIMARY KEY (tenant_key, slot)
);
