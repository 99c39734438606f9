-- Records the sync published per tenant and hour (the dashboard's health chart); kept two days.
CREATE TABLE IF NOT EXISTS sync_hourly (
    tenant_id text        NOT NULL,
    hour      timestamptz NOT NULL,
    records   integer     NOT NULL,
    PRIMARY KEY (tenant_id, hour)
);
