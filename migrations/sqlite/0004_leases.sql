-- Duties held by one instance at a time (the scheduler, a long-polling loop): the holder renews
-- its lease; when it stops renewing, another instance takes over after expiry.
CREATE TABLE leases (
    name        TEXT PRIMARY KEY NOT NULL,
    holder      TEXT NOT NULL,
    expires_at  INTEGER NOT NULL
);
