-- verdict.updated leaves the vote's transaction. A vote (or a withdrawal) only appends a row here, in its own
-- transaction: no shared row, no lock, no verdict computed while the reviewer waits. The scheduled flush takes a
-- batch's rows (DELETE), computes the verdict and writes the outbox event in one transaction, at most once per batch
-- per throttle window. A vote committed after the flush's DELETE keeps its row for the next flush, so the latest
-- state always goes out.
CREATE TABLE verdict_dirty (
    batch_id  uuid        NOT NULL REFERENCES batches (id),
    marked_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX verdict_dirty_batch_idx ON verdict_dirty (batch_id);

INSERT INTO verdict_dirty (batch_id) SELECT batch_id FROM verdict_emissions WHERE pending_since IS NOT NULL;
DROP INDEX verdict_emissions_pending_idx;
ALTER TABLE verdict_emissions DROP COLUMN pending_since;
