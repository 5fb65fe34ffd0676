-- Cached comparisons (computed once per pair, served until the outputs behind them change) and per-project
-- comparison settings (semantic similarity, off by default).

create table comparisons (
    id                 uuid primary key,
    suite_version_id   uuid not null references suite_versions (id),
    -- the ?probeRun= form compares one run's own targets; the nil UUID stands for the ?suiteVersion= form
    probe_run_id       uuid not null,
    candidate_endpoint text not null,
    candidate_model    text not null,
    baseline_endpoint  text not null,
    baseline_model     text not null,
    semantic           boolean not null,
    -- what the result was built from: md5 over (output id, status, completed_at) of every output used, their count
    -- and newest completed_at, plus the comparison settings; any new or updated output changes it
    fingerprint        text not null,
    output_count       int not null,
    max_completed_at   timestamptz,
    result             text not null,      -- the JSON body exactly as served (text keeps it byte-identical)
    computed_at        timestamptz not null,
    constraint comparisons_pair_key unique (suite_version_id, probe_run_id, candidate_endpoint, candidate_model,
                                            baseline_endpoint, baseline_model, semantic)
);

create table project_settings (
    project             text primary key,
    semantic_similarity boolean not null default false,
    updated_at          timestamptz not null default now(),
    updated_by          text
);
