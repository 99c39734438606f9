-- The currency of the chosen bank account (decision writeback-bank-currency): a payout in another
-- currency waits for a bank account in its currency instead of being deposited. NULL: not known.
ALTER TABLE tenants ADD COLUMN IF NOT EXISTS deposit_bank_currency text;
-- Account identity (docs/decisions/connector-account-identity.md): the id scope of the NetSuite
-- account the tenant is connected to now; NULL is its first account (or not known yet).
ALTER TABLE tenants ADD COLUMN IF NOT EXISTS id_scope text;
