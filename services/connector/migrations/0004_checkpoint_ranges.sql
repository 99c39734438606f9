-- The initial sync reads each stream's id space in ranges side by side: one checkpoint per range.
-- part 0 with upper_id NULL is the whole stream (syncs started before ranges existed resume as before).
ALTER TABLE initial_checkpoint ADD COLUMN part integer NOT NULL DEFAULT 0;
ALTER TABLE initial_checkpoint ADD COLUMN upper_id bigint;  -- ids <= upper_id; NULL: no upper bound
ALTER TABLE initial_checkpoint DROP CONSTRAINT initial_checkpoint_pkey;
ALTER TABLE initial_checkpoint ADD PRIMARY KEY (tenant_id, phase, stream, part);
