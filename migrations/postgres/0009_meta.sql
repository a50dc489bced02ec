-- Meta's side of a request: the WhatsApp Business account its store's admin accepted, and the
-- registration of its number, driven from the merchant's chat.
CREATE TABLE meta_registrations (
    request_id       TEXT PRIMARY KEY NOT NULL,
    waba_id          TEXT NOT NULL,
    phone_number_id  TEXT,
    stage            TEXT NOT NULL,      -- where the registration stands (service::meta::Stage)
    code_method      TEXT,               -- SMS or VOICE: how the last code was sent
    pin              TEXT,               -- the two-step verification PIN set at registration
    code_requests    BIGINT  NOT NULL DEFAULT 0,
    wrong_codes      BIGINT  NOT NULL DEFAULT 0,
    problem          TEXT,               -- the last refusal from the Graph API, as a code
    retry_at         BIGINT,            -- Unix milliseconds: not before, after a limit
    updated_at       BIGINT  NOT NULL
);
CREATE INDEX meta_registrations_by_waba ON meta_registrations (waba_id);
CREATE INDEX meta_registrations_by_phone ON meta_registrations (phone_number_id);

-- Changes from Meta's webhook (or found by polling) that staff must look at: those tied to no
-- request or to several, and alerts on a known account.
CREATE TABLE meta_events (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    field        TEXT NOT NULL,          -- account_update, phone_number_name_update
    event        TEXT NOT NULL,          -- PARTNER_ADDED, REJECTED, ...
    waba_id      TEXT,
    business_id  TEXT,
    request_id   TEXT,
    outcome      TEXT NOT NULL,          -- unmatched, ambiguous, alert, deferred
    detail       TEXT NOT NULL,          -- the change's value, JSON
    received_at  BIGINT  NOT NULL
);
CREATE INDEX meta_events_by_age ON meta_events (received_at);
