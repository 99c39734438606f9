-- A tiny consumer for the ops tests: tenants it knows, and the payments it applied.
CREATE TABLE IF NOT EXISTS known_tenant (tenant_id text PRIMARY KEY);
CREATE TABLE IF NOT EXISTS applied (
    event_id   text        PRIMARY KEY,
    tenant_id  text        NOT NULL,
    amount     numeric     NOT NULL,
    applied_at timestamptz NOT NULL DEFAULT clock_timestamp()
);
