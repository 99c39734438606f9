-- ops resync (docs/decisions/ops-resync.md): the next lease re-reads the tenant's streams from here.
-- '' means "poll every stream now" without widening the window.
ALTER TABLE tenant_schedule ADD COLUMN IF NOT EXISTS resync_from text;
