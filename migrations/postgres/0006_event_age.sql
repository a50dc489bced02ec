-- Processed event ids are pruned by age.
CREATE INDEX inbound_events_by_age ON inbound_events (received_at);
