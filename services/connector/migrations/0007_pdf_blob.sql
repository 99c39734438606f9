-- R5 by reference (decision 0007): each invoice PDF's bytes, stored once by SHA-256 (the same bytes
-- for two invoice versions or tenants are one row); invoice-sync fetches them from the internal listener.
CREATE TABLE IF NOT EXISTS pdf_blob (
    sha256    text        PRIMARY KEY,
    content   bytea       NOT NULL,
    size      integer     NOT NULL,
    stored_at timestamptz NOT NULL DEFAULT now()
);
