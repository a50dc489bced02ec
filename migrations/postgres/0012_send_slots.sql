-- The fleet's outbound budget: for each rate-limited key (a platform's overall limit, one chat's
-- limit), the earliest time (Unix microseconds) at which the next call may be made. Every
-- instance takes its slots here, so a platform's limit holds for all instances together
-- (the generic cell rate algorithm, with the "theoretical arrival time" kept in `next_at`).
CREATE TABLE send_slots (
    key      TEXT PRIMARY KEY NOT NULL,
    next_at  BIGINT NOT NULL
);
