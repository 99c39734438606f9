-- Requests of a priority holder (write-back) waiting for a slot of the tenant's budget. A holder
-- that yields (the connector's bulk reads) takes a free slot only while more slots are free than
-- requests wait here, so write-back gets the next released slot. Rows expire: a crashed waiter's
-- demand lapses on its own.
CREATE TABLE IF NOT EXISTS budget_demand (
    tenant_key  text        NOT NULL,
    holder      text        NOT NULL,
    expires_at  timestamptz NOT NULL,
    PRIMARY KEY (tenant_key, holder)
);
