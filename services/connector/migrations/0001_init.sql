-- connector: tenants, their NetSuite connection, scheduling, sync checkpoints and action items.

-- One row per tenant, from its first connect call on.
CREATE TABLE IF NOT EXISTS tenant (
    tenant_id    text        PRIMARY KEY,
    status       text        NOT NULL DEFAULT 'not_connected'
                             CHECK (status IN ('not_connected', 'pending', 'connected', 'error')),
    account_id   text,
    timezone     text,
    last_error   text,
    last_sync_at timestamptz,
    created_at   timestamptz NOT NULL DEFAULT now(),
    updated_at   timestamptz NOT NULL DEFAULT now()
);

-- An authorization-code flow in progress: single-use, expiring state with its PKCE verifier.
CREATE TABLE IF NOT EXISTS oauth_flow (
    state         text        PRIMARY KEY,
    tenant_id     text        NOT NULL REFERENCES tenant (tenant_id),
    code_verifier bytea       NOT NULL,  -- encrypted
    account_hint  text,
    created_at    timestamptz NOT NULL DEFAULT now(),
    expires_at    timestamptz NOT NULL,
    used_at       timestamptz
);

-- OAuth 2.0 tokens, encrypted at rest (Fernet, key rotation through MultiFernet).
CREATE TABLE IF NOT EXISTS connection_token (
    tenant_id         text        PRIMARY KEY REFERENCES tenant (tenant_id),
    account_id        text        NOT NULL,
    access_token      bytea       NOT NULL,
    refresh_token     bytea,
    access_expires_at timestamptz NOT NULL,
    role              text,
    entity            text,
    connected_at      timestamptz NOT NULL DEFAULT now(),
    refreshed_at      timestamptz
);

-- R18: the accounts write-back uses.
CREATE TABLE IF NOT EXISTS account_setup (
    tenant_id         text        PRIMARY KEY REFERENCES tenant (tenant_id),
    account_id        text        NOT NULL,
    undeposited_funds text        NOT NULL,
    deposit_bank      text        NOT NULL,
    fee_expense       text,
    platform_income   text,
    saved_at          timestamptz NOT NULL DEFAULT now()
);

-- Scheduling and leases: one instance polls a tenant at a time (FOR UPDATE SKIP LOCKED + expiry).
CREATE TABLE IF NOT EXISTS tenant_schedule (
    tenant_id        text        PRIMARY KEY REFERENCES tenant (tenant_id),
    active           boolean     NOT NULL DEFAULT true,
    next_poll_at     timestamptz NOT NULL DEFAULT now(),
    last_polled_at   timestamptz,
    lease_owner      text,
    lease_expires_at timestamptz,
    polls            bigint      NOT NULL DEFAULT 0,
    failures         integer     NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS tenant_schedule_due ON tenant_schedule (last_polled_at NULLS FIRST) WHERE active;

-- Initial sync (R17): phase, boundary and progress counts per tenant.
CREATE TABLE IF NOT EXISTS initial_sync (
    tenant_id   text        PRIMARY KEY REFERENCES tenant (tenant_id),
    account_id  text        NOT NULL,
    phase       text        NOT NULL CHECK (phase IN ('recent', 'history', 'done')),
    cutoff      date        NOT NULL,  -- 'recent' is tranDate >= cutoff (12 months back)
    totals      jsonb       NOT NULL DEFAULT '{}'::jsonb,  -- stream -> records SuiteQL counted
    synced      jsonb       NOT NULL DEFAULT '{}'::jsonb,  -- stream -> records published
    started_at  timestamptz NOT NULL DEFAULT now(),
    finished_at timestamptz
);

-- Keyset checkpoint of each initial-sync stream and phase: pages before last_id are done.
CREATE TABLE IF NOT EXISTS initial_checkpoint (
    tenant_id text    NOT NULL,
    phase     text    NOT NULL,
    stream    text    NOT NULL,
    last_id   bigint  NOT NULL DEFAULT 0,
    done      boolean NOT NULL DEFAULT false,
    pages     integer NOT NULL DEFAULT 0,
    PRIMARY KEY (tenant_id, phase, stream)
);

-- Incremental cursor per stream: (lastmodifieddate, id) in the account's local time, as SuiteQL shows it.
CREATE TABLE IF NOT EXISTS sync_cursor (
    tenant_id  text        NOT NULL,
    stream     text        NOT NULL,
    high_water text        NOT NULL,  -- 'YYYY-MM-DD HH24:MI:SS' local to the account
    polled_at  timestamptz,
    PRIMARY KEY (tenant_id, stream)
);

-- Versions already published inside the overlap window, so re-reading it publishes nothing twice.
CREATE TABLE IF NOT EXISTS recent_version (
    tenant_id text NOT NULL,
    stream    text NOT NULL,
    record_id text NOT NULL,
    modified  text NOT NULL,
    digest    text NOT NULL,
    PRIMARY KEY (tenant_id, stream, record_id)
);
CREATE INDEX IF NOT EXISTS recent_version_modified ON recent_version (tenant_id, stream, modified);

-- R5: which invoice version's PDF was fetched (decision 0003), and the fetch queue.
CREATE TABLE IF NOT EXISTS pdf_fetched (
    tenant_id  text        NOT NULL,
    invoice_id text        NOT NULL,
    modified   text        NOT NULL,
    sha256     text        NOT NULL,
    fetched_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, invoice_id)
);
CREATE TABLE IF NOT EXISTS pdf_queue (
    tenant_id       text        NOT NULL,
    invoice_id      text        NOT NULL,
    modified        text        NOT NULL,
    last_modified   timestamptz NOT NULL,
    priority        smallint    NOT NULL DEFAULT 0,  -- 0 incremental change, 1 initial sync
    attempts        integer     NOT NULL DEFAULT 0,
    next_attempt_at timestamptz NOT NULL DEFAULT now(),
    enqueued_at     timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, invoice_id)
);
CREATE INDEX IF NOT EXISTS pdf_queue_next ON pdf_queue (tenant_id, priority, next_attempt_at);

-- Action items from every service (decision 0005) and the connector's own sync errors.
CREATE TABLE IF NOT EXISTS action_item (
    tenant_id   text        NOT NULL,
    item_id     text        NOT NULL,
    kind        text        NOT NULL,
    message     text        NOT NULL,
    invoice_id  text,
    payment_id  text,
    payout_id   text,
    netsuite_id text,
    source      text        NOT NULL,
    raised_at   timestamptz NOT NULL,
    changed_at  timestamptz NOT NULL,
    resolved_at timestamptz,
    PRIMARY KEY (tenant_id, item_id)
);
CREATE INDEX IF NOT EXISTS action_item_open ON action_item (tenant_id, raised_at) WHERE resolved_at IS NULL;
