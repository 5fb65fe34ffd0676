-- verdict.updated throttling: at most one event per batch per throttle window; a vote inside the window marks
-- the batch pending and the scheduled flush sends its latest state once the window has passed.
CREATE TABLE verdict_emissions (
    batch_id      uuid PRIMARY KEY REFERENCES batches (id),
    last_sent_at  timestamptz,
    pending_since timestamptz
);
CREATE INDEX verdict_emissions_pending_idx ON verdict_emissions (pending_since) WHERE pending_since IS NOT NULL;
