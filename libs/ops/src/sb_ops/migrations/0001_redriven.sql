-- Dead letters already sent back to their source topic: a second redrive of the same one is skipped.
CREATE TABLE IF NOT EXISTS redriven (
    dlq_topic        text        NOT NULL,
    dlq_partition    integer     NOT NULL,
    dlq_offset       bigint      NOT NULL,
    source_topic     text        NOT NULL,
    source_partition integer     NOT NULL,
    source_offset    bigint,
    event_id         text,
    redriven_at      timestamptz NOT NULL DEFAULT now(),
    redriven_by      text        NOT NULL DEFAULT current_user,
    PRIMARY KEY (dlq_topic, dlq_partition, dlq_offset)
);
