-- Currency of the bank (docs/decisions/writeback-bank-currency.md): the ISO currency of each chosen
-- account (choice -> code), read when the setup is saved; '{}' for setups saved before.
ALTER TABLE account_setup ADD COLUMN IF NOT EXISTS currencies jsonb NOT NULL DEFAULT '{}'::jsonb;
