-- Events the broker can never take (over the size bound, or refused as too large): moved here by the
-- relay, with the reason, so the rest of the outbox keeps flowing. Kept until an operator deals with them.
CREATE TABLE IF NOT EXISTS outbox_set_aside (
    id           bigint      PRIMARY KEY,  -- the outbox row's id
    topic        text        NOT NULL,
    key          bytea,
    value        bytea       NOT NULL,
    headers      jsonb       NOT NULL DEFAULT '{}'::jsonb,
    created_at   timestamptz NOT NULL,
    set_aside_at timestamptz NOT NULL DEFAULT now(),
    reason       text        NOT NULL
);

-- Housekeeping prunes by age: published outbox rows and inbox rows past their retention.
CREATE INDEX IF NOT EXISTS outbox_published_at ON outbox (published_at) WHERE published_at IS NOT NULL;
CREATE INDEX IF NOT EXISTS inbox_processed_at ON inbox (processed_at);
