-- Erasure of a merchant's personal data (LGPD, art. 18): the request keeps its reference, status
-- and history for the statistics; `erased_at` says its personal fields were removed, and
-- `erasures` is the audit trail of who erased what and when.
ALTER TABLE requests ADD COLUMN erased_at INTEGER;        -- Unix milliseconds
CREATE TABLE erasures (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    request_id  TEXT NOT NULL,
    reference   TEXT NOT NULL,
    at          INTEGER NOT NULL,                     -- Unix milliseconds
    actor       TEXT NOT NULL                         -- who asked: cli:<login>, telegram:<id>, …
);
