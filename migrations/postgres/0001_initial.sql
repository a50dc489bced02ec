-- Conversations in progress, one per merchant and channel.
CREATE TABLE drafts (
    user_key    TEXT PRIMARY KEY NOT NULL,   -- "<channel>:<user id>"
    draft_id    TEXT NOT NULL,
    step        TEXT NOT NULL,
    locale      TEXT NOT NULL,
    state       TEXT NOT NULL,               -- the draft as JSON, logo bytes excepted
    logo        BYTEA,                        -- the logo file, kept apart from the JSON
    created_at  BIGINT NOT NULL,            -- Unix milliseconds
    updated_at  BIGINT NOT NULL
);

-- Platform event ids already processed: a redelivered event is recognised and skipped.
CREATE TABLE inbound_events (
    event_id     TEXT PRIMARY KEY NOT NULL,
    received_at  BIGINT NOT NULL
);

-- Named counters (the request reference sequence).
CREATE TABLE counters (
    name   TEXT PRIMARY KEY NOT NULL,
    value  BIGINT NOT NULL
);
INSERT INTO counters (name, value) VALUES ('request_reference', 0);

-- Confirmed onboarding requests. The id is the id of the draft they came from, so that
-- confirming twice cannot create two requests.
CREATE TABLE requests (
    id                     TEXT PRIMARY KEY NOT NULL,
    reference              TEXT NOT NULL UNIQUE,
    status                 TEXT NOT NULL,
    channel                TEXT NOT NULL,
    user_id                TEXT NOT NULL,
    locale                 TEXT NOT NULL,
    store_account          TEXT NOT NULL,
    requester_email        TEXT NOT NULL,
    business_portfolio_id  TEXT NOT NULL,
    display_name           TEXT NOT NULL,
    phone                  TEXT NOT NULL,
    category               TEXT NOT NULL,
    description            TEXT,
    existing_account       BIGINT NOT NULL,
    business_verification  TEXT NOT NULL,
    whatsapp_use           TEXT NOT NULL,
    logo                   BYTEA NOT NULL,
    logo_format            TEXT NOT NULL,
    logo_width             BIGINT NOT NULL,
    logo_height            BIGINT NOT NULL,
    logo_bytes             BIGINT NOT NULL,
    problems               TEXT NOT NULL,    -- JSON: [{field, code, verdict, args}]
    created_at             BIGINT NOT NULL,
    updated_at             BIGINT NOT NULL,
    status_changed_at      BIGINT NOT NULL
);
CREATE INDEX requests_by_phone ON requests (phone, status);
CREATE INDEX requests_by_requester ON requests (channel, user_id);
CREATE INDEX requests_by_status ON requests (status);

-- Every move of a request.
CREATE TABLE request_history (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    request_id   TEXT NOT NULL REFERENCES requests (id),
    from_status  TEXT,
    to_status    TEXT NOT NULL,
    at           BIGINT NOT NULL,
    actor        TEXT NOT NULL,
    reason       TEXT
);
CREATE INDEX request_history_by_request ON request_history (request_id, id);

-- Work to do after a commit (open a ticket, notify someone), written in the same transaction
-- as the change that causes it.
CREATE TABLE outbox (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    kind         TEXT NOT NULL,
    payload      TEXT NOT NULL,             -- JSON
    dedupe_key   TEXT UNIQUE,
    status       TEXT NOT NULL DEFAULT 'pending',
    attempts     BIGINT NOT NULL DEFAULT 0,
    due_at       BIGINT NOT NULL,
    locked_until BIGINT,
    last_error   TEXT,
    created_at   BIGINT NOT NULL,
    done_at      BIGINT
);
CREATE INDEX outbox_due ON outbox (status, due_at);
