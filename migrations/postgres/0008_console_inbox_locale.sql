-- The merchant's language when a console notification was left, so that it is shown in that
-- language (rows from before this migration have none and take the session's).
ALTER TABLE console_inbox ADD COLUMN locale TEXT;
