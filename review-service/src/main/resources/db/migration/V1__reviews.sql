-- review-service schema: batches of blind pairwise items, leases, votes, outbox.

CREATE TABLE batches (
    id                 uuid PRIMARY KEY,
    project            text        NOT NULL,
    probe_run_id       uuid        NOT NULL,
    run_id             uuid,
    checkpoint_id      uuid,
    step               bigint,
    suite_version_id   uuid,
    candidate_endpoint text        NOT NULL,
    candidate_model    text        NOT NULL,
    baseline_endpoint  text        NOT NULL,
    baseline_model     text        NOT NULL,
    reviews_per_item   integer     NOT NULL CHECK (reviews_per_item >= 1),
    status             text        NOT NULL CHECK (status IN ('open', 'closed')),
    created_at         timestamptz NOT NULL DEFAULT now(),
    closed_at          timestamptz,
    CONSTRAINT batches_probe_run_uk UNIQUE (probe_run_id)
);
CREATE INDEX batches_project_idx ON batches (project, created_at);
CREATE INDEX batches_run_idx ON batches (run_id);

CREATE TABLE items (
    id             uuid PRIMARY KEY,
    batch_id       uuid        NOT NULL REFERENCES batches (id),
    position       integer     NOT NULL,
    probe_id       text        NOT NULL,
    probe_tags     jsonb       NOT NULL DEFAULT '[]',
    messages       jsonb       NOT NULL,
    text_a         text        NOT NULL,
    text_b         text        NOT NULL,
    candidate_side text        NOT NULL CHECK (candidate_side IN ('A', 'B')),
    control        boolean     NOT NULL,
    similarity     double precision,
    CONSTRAINT items_batch_probe_uk UNIQUE (batch_id, probe_id)
);
CREATE INDEX items_batch_position_idx ON items (batch_id, position);

-- One row per (item, reviewer): the task. A row counts towards the item's k reviewers while its
-- lease is live or once it has a vote; an expired unvoted lease gives the slot back.
CREATE TABLE assignments (
    id           uuid PRIMARY KEY,
    item_id      uuid        NOT NULL REFERENCES items (id),
    reviewer     text        NOT NULL,
    leased_until timestamptz NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now(),
    voted_at     timestamptz,
    CONSTRAINT assignments_item_reviewer_uk UNIQUE (item_id, reviewer)
);
CREATE INDEX assignments_reviewer_idx ON assignments (reviewer, leased_until);

-- Every vote is kept; the latest (highest seq) per (item, reviewer) counts.
CREATE TABLE votes (
    id            uuid PRIMARY KEY,
    seq           bigint GENERATED ALWAYS AS IDENTITY,
    item_id       uuid        NOT NULL REFERENCES items (id),
    assignment_id uuid        NOT NULL REFERENCES assignments (id),
    reviewer      text        NOT NULL,
    choice        text        NOT NULL CHECK (choice IN ('A', 'B', 'TIE', 'BOTH_BAD')),
    tags          jsonb       NOT NULL DEFAULT '[]',
    comment       text,
    created_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX votes_item_reviewer_idx ON votes (item_id, reviewer, seq);

CREATE TABLE outbox (
    id           uuid PRIMARY KEY,
    event_type   text        NOT NULL,
    payload      jsonb       NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now(),
    published_at timestamptz
);
CREATE INDEX outbox_unpublished_idx ON outbox (created_at) WHERE published_at IS NULL;

CREATE TABLE processed_event (
    event_id     uuid PRIMARY KEY,
    processed_at timestamptz NOT NULL DEFAULT now()
);
