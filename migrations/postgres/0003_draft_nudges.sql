-- When an abandoned draft was nudged (once; a new message clears it).
ALTER TABLE drafts ADD COLUMN nudged_at BIGINT;
CREATE INDEX drafts_by_activity ON drafts (updated_at);
