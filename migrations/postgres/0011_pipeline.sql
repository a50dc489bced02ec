-- The managers' view: moves read by period, requests listed by age.
CREATE INDEX request_history_by_time ON request_history (at);
CREATE INDEX requests_by_age ON requests (created_at, reference);
