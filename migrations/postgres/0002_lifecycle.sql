-- The lifecycle: tickets, fields asked of the merchant, notes, unreachable merchants, and the
-- merchant inbox of the console channel.
ALTER TABLE requests ADD COLUMN ticket_id TEXT;
ALTER TABLE requests ADD COLUMN info_fields TEXT;          -- JSON list of step ids asked to fix
ALTER TABLE requests ADD COLUMN info_reason TEXT;
ALTER TABLE requests ADD COLUMN unreachable BIGINT NOT NULL DEFAULT 0;
ALTER TABLE requests ADD COLUMN draft_state TEXT;          -- the confirmed draft, to fix fields later

ALTER TABLE outbox ADD COLUMN claimed_by TEXT;            -- the worker holding the job

-- A draft set aside while the merchant fixes an earlier request.
ALTER TABLE drafts ADD COLUMN parked_state TEXT;
ALTER TABLE drafts ADD COLUMN parked_logo BYTEA;

CREATE TABLE request_notes (
    id                   BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    request_id           TEXT NOT NULL REFERENCES requests (id),
    at                   BIGINT NOT NULL,
    author               TEXT NOT NULL,
    body                 TEXT NOT NULL,
    visible_to_merchant  BIGINT NOT NULL
);
CREATE INDEX request_notes_by_request ON request_notes (request_id, id);

-- Notifications for merchants on the console channel, shown at the start of their next chat.
CREATE TABLE console_inbox (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id     TEXT NOT NULL,
    message     TEXT NOT NULL,                      -- JSON: the message id and arguments
    created_at  BIGINT NOT NULL,
    seen_at     BIGINT
);
CREATE INDEX console_inbox_unseen ON console_inbox (user_id, seen_at);
