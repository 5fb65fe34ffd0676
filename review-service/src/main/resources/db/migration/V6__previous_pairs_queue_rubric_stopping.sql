-- A checkpoint is judged against the base model and against the previous checkpoint of its run: a probe run may
-- now have two batches, one per `against`. Batches by targets (no probe run) are `targets`.
ALTER TABLE batches ADD COLUMN against text NOT NULL DEFAULT 'base'
    CHECK (against IN ('base', 'previous', 'targets'));
UPDATE batches SET against = 'targets' WHERE probe_run_id IS NULL;
ALTER TABLE batches ADD COLUMN baseline_probe_run_id uuid;
ALTER TABLE batches ADD COLUMN baseline_checkpoint_id uuid;
ALTER TABLE batches ADD COLUMN baseline_step bigint;
ALTER TABLE batches DROP CONSTRAINT batches_probe_run_uk;
ALTER TABLE batches ADD CONSTRAINT batches_probe_run_against_uk UNIQUE (probe_run_id, against);

-- Adaptive stopping: the rule is fixed when the batch is created; the stop itself is its own row (written by a vote
-- or by the verdict flush without locking the batch row, which votes hold FOR SHARE).
ALTER TABLE batches ADD COLUMN stop_when_decided boolean NOT NULL DEFAULT false;
ALTER TABLE batches ADD COLUMN max_votes integer CHECK (max_votes IS NULL OR max_votes >= 1);
CREATE TABLE batch_stops (
    batch_id   uuid PRIMARY KEY REFERENCES batches (id),
    reason     text        NOT NULL CHECK (reason IN ('decided', 'maxVotes')),
    at_votes   integer     NOT NULL,
    stopped_at timestamptz NOT NULL DEFAULT now()
);

-- Skipping a task gives its slot back at once; the item never comes back to the reviewer who skipped it.
ALTER TABLE assignments ADD COLUMN skipped_at timestamptz;

-- Per-project settings: which pairs a checkpoint's probe run queues, and the default stopping rule of new batches.
CREATE TABLE review_settings (
    project           text PRIMARY KEY,
    against           text        NOT NULL CHECK (against IN ('base', 'previous', 'both')),
    stop_when_decided boolean     NOT NULL,
    max_votes         integer CHECK (max_votes IS NULL OR max_votes >= 1),
    updated_by        text        NOT NULL,
    updated_at        timestamptz NOT NULL DEFAULT now()
);

-- Per-project rubric with stable tag ids: votes store ids, so renaming a label keeps every earlier vote's meaning.
-- A tag removed from the rubric stays here (retired) so old votes still show their label.
CREATE TABLE rubric_tags (
    project  text    NOT NULL,
    id       text    NOT NULL,
    label_en text,
    label_zh text,
    position integer NOT NULL,
    retired  boolean NOT NULL DEFAULT false,
    PRIMARY KEY (project, id)
);
