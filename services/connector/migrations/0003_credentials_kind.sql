-- Connections that last (docs/decisions/connector-connections-that-last.md): a connection is an
-- OAuth 2.0 token pair (with the refresh token's expiry) or a token-based-authentication (TBA) set.
ALTER TABLE connection_token ADD COLUMN IF NOT EXISTS kind text NOT NULL DEFAULT 'oauth2';
ALTER TABLE connection_token ADD COLUMN IF NOT EXISTS refresh_expires_at timestamptz;
ALTER TABLE connection_token ADD COLUMN IF NOT EXISTS tba_credentials bytea;  -- encrypted JSON, TBA only
ALTER TABLE connection_token ALTER COLUMN access_token DROP NOT NULL;
ALTER TABLE connection_token ALTER COLUMN access_expires_at DROP NOT NULL;
ALTER TABLE connection_token DROP CONSTRAINT IF EXISTS connection_token_kind;
ALTER TABLE connection_token ADD CONSTRAINT connection_token_kind CHECK (
    (kind = 'oauth2' AND access_token IS NOT NULL AND access_expires_at IS NOT NULL)
    OR (kind = 'tba' AND tba_credentials IS NOT NULL));
-- NetSuite does not rotate a confidential client's refresh token: it lives 7 days from consent.
UPDATE connection_token SET refresh_expires_at = connected_at + interval '7 days'
WHERE kind = 'oauth2' AND refresh_expires_at IS NULL;
