-- Embedded Signup: the store's admin creates the WhatsApp Business account in Meta's own
-- window, opened from a link the bot gives the merchant.

-- One row per request whose merchant chose to create the account themselves.
CREATE TABLE signup_sessions (
    request_id       TEXT PRIMARY KEY NOT NULL,
    state            TEXT NOT NULL,      -- offered, finished, cancelled, error, team
    stopped_at       TEXT,               -- Meta's current_step when the merchant cancelled
    error_message    TEXT,               -- Meta's words when the signup failed
    waba_id          TEXT,
    phone_number_id  TEXT,
    business_token   TEXT,               -- from the code exchange (a secret)
    updated_at       INTEGER NOT NULL
);

-- The links: only a SHA-256 of each token is kept; a link is used once, before it expires.
CREATE TABLE signup_links (
    token_hash   TEXT PRIMARY KEY NOT NULL,
    request_id   TEXT NOT NULL,
    created_at   INTEGER NOT NULL,
    expires_at   INTEGER NOT NULL,
    used_at      INTEGER
);
CREATE INDEX signup_links_by_request ON signup_links (request_id);
