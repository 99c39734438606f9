-- Account identity (docs/decisions/connector-account-identity.md). first_account_id: the NetSuite
-- account whose records keep the original platform ids (decision 0006); any other account a tenant
-- switches to gets account-qualified ids. Tenants connected before this migration keep theirs.
ALTER TABLE tenant ADD COLUMN IF NOT EXISTS first_account_id text;
UPDATE tenant SET first_account_id = account_id WHERE first_account_id IS NULL AND account_id IS NOT NULL;
-- A connect flow started with the partner's confirmation that the tenant switches accounts.
ALTER TABLE oauth_flow ADD COLUMN IF NOT EXISTS confirm_switch boolean NOT NULL DEFAULT false;
-- Every confirmed switch, for support: which account a tenant left, for which, and when.
CREATE TABLE IF NOT EXISTS account_switch (
    tenant_id       text        NOT NULL REFERENCES tenant (tenant_id),
    from_account_id text        NOT NULL,
    to_account_id   text        NOT NULL,
    switched_at     timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, switched_at)
);
