-- Account identity (docs/decisions/connector-account-identity.md): the id scope of the NetSuite
-- account each payment was written to (NULL: the tenant's first account), from the outcome that
-- reported the write. A payout deposits only payments written to the account connected now.
ALTER TABLE payments ADD COLUMN IF NOT EXISTS netsuite_id_scope text;
