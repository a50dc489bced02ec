-- Erasure of a merchant's personal data (LGPD, art. 18): the request keeps its reference, status
-- and history for the statistics; `erased_at` says its personal fields were removed, and
-- `erasures` is the audit trail of who erased what and when.
ALTER TABLE requests ADD COLUMN erased_at BIGINT;         -- Unix milliseconds
CREATE TABLE erasures (
    id          BIGSERIAL PRIMARY KEY,
    request_id  TEXT NOT NULL,
    reference   TEXT NOT NULL,
    at          BIGINT NOT NULL,                      -- Unix milliseconds
    actor       TEXT NOT NULL                         -- who asked: cli:<login>, telegram:<id>, …
);
