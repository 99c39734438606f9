-- Account identity (docs/decisions/connector-account-identity.md): which of the tenant's NetSuite
-- accounts an invoice's netsuite_invoice_id is in (NULL: the first one it connected).
ALTER TABLE invoices ADD COLUMN IF NOT EXISTS netsuite_id_scope text;
