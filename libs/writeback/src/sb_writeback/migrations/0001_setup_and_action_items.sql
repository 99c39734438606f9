-- The tables both write-back services keep, in each service's own schema (applied before the
-- service's migrations). IF NOT EXISTS: databases deployed before this file got them from the
-- services' 0002 migrations, which are recorded as applied and are not run again.

-- The tenant's connection and account choices (from netsuite.setup.v1).
CREATE TABLE IF NOT EXISTS tenants (
    tenant_id             text PRIMARY KEY,
    connection_status     text,
    netsuite_account_id   text,
    timezone              text,
    connection_changed_at timestamptz,
    setup_account_id      text,
    undeposited_funds     text,
    deposit_bank          text,
    fee_expense           text,
    platform_income       text,
    setup_saved_at        timestamptz
);

-- Action items raised once and resolved once (sb_writeback.action_items).
CREATE TABLE IF NOT EXISTS action_items (
    tenant_id  text    NOT NULL,
    item_id    text    NOT NULL,
    open       boolean NOT NULL,
    generation integer NOT NULL,
    data       jsonb   NOT NULL,
    PRIMARY KEY (tenant_id, item_id)
);
