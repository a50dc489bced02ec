-- The scheduler looks for idle drafts in progress every few seconds: an index of those alone,
-- by last activity, so that the look costs nothing when there are none, however many drafts
-- are kept (finished ones stay for the merchant's later commands).
CREATE INDEX drafts_in_progress ON drafts (updated_at) WHERE step <> 'done';
