-- The tenants and action_items tables come from sb_writeback (migrations/0001_setup_and_action_items.sql).

-- The payment map (from suitebridge.payment-outcomes.v1): what payment-reconciler wrote for each payment.
CREATE TABLE payments (
    tenant_id           text          NOT NULL,
    payment_id          text          NOT NULL,
    status              text          NOT NULL,
    origin              text          NOT NULL,
    amount              numeric(17,2) NOT NULL,
    surcharge           numeric(17,2) NOT NULL,
    currency            text          NOT NULL,
    netsuite_payment_id text,
    netsuite_deposit_id text,
    PRIMARY KEY (tenant_id, payment_id)
);

-- One row per payout. waiting: for its payments or an account choice; pending: to be posted;
-- deposited: in NetSuite (or nothing was left to post); action_needed: does not balance, or refused.
CREATE TABLE payouts (
    tenant_id           text          NOT NULL,
    payout_id           text          NOT NULL,
    state               text          NOT NULL CHECK (state IN ('waiting', 'pending', 'deposited', 'action_needed')),
    currency            text          NOT NULL,
    arrival_date        date          NOT NULL,
    gross_amount        numeric(17,2) NOT NULL,
    fee_amount          numeric(17,2) NOT NULL,
    net_amount          numeric(17,2) NOT NULL,
    payment_ids         text[]        NOT NULL,
    fees                jsonb         NOT NULL,
    waiting_for         text[]        NOT NULL DEFAULT '{}',
    difference          numeric(17,2),
    netsuite_deposit_id text,
    reason              text,
    attempts            integer       NOT NULL DEFAULT 0,
    last_error          text,
    next_attempt_at     timestamptz,
    created_at          timestamptz   NOT NULL DEFAULT now(),
    updated_at          timestamptz   NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, payout_id)
);
CREATE INDEX payouts_waiting_for ON payouts USING gin (waiting_for) WHERE state = 'waiting';
CREATE INDEX payouts_unfinished ON payouts (updated_at) WHERE state IN ('waiting', 'pending', 'action_needed');
