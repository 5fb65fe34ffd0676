-- POST /api/review-batches by targets (suite version + candidate + baseline): such a batch has no probe run.
ALTER TABLE batches ALTER COLUMN probe_run_id DROP NOT NULL;

-- At most one open on-demand batch per project, suite version and pair; asking again returns it. Batches of probe
-- runs stay unique by probe run (batches_probe_run_uk; NULLs are distinct there).
CREATE UNIQUE INDEX batches_open_pair_uk
    ON batches (project, suite_version_id, candidate_endpoint, candidate_model, baseline_endpoint, baseline_model)
    WHERE probe_run_id IS NULL AND status = 'open';
CREATE INDEX batches_pair_idx
    ON batches (project, suite_version_id, candidate_endpoint, candidate_model, baseline_endpoint, baseline_model);

-- DELETE /api/reviews/{task}/vote: the vote row stays in the history, marked withdrawn. The latest vote per
-- (item, reviewer) counts unless it is withdrawn; an earlier vote never comes back by a withdrawal.
ALTER TABLE votes ADD COLUMN withdrawn_at timestamptz;
