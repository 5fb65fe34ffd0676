-- probe-runner schema: endpoints, versioned suites, probe runs, outputs, outbox, processed events.

create table endpoints (
    id              uuid primary key,
    project         text not null,
    name            text not null,
    base_url        text not null,
    api_key_enc     text,
    max_concurrency int  not null,
    timeout_ms      int  not null,
    params          jsonb not null default '{}'::jsonb,
    extra_body      jsonb not null default '{}'::jsonb,
    created_at      timestamptz not null default now(),
    constraint endpoints_project_name_key unique (project, name)
);

create table suites (
    id         uuid primary key,
    project    text not null,
    name       text not null,
    created_at timestamptz not null default now(),
    constraint suites_project_name_key unique (project, name)
);

-- Immutable: rows are only ever inserted.
create table suite_versions (
    id           uuid primary key,
    suite_id     uuid not null references suites (id),
    version      int  not null,
    content_hash text not null,
    probes       jsonb not null,
    created_at   timestamptz not null default now(),
    constraint suite_versions_suite_version_key unique (suite_id, version)
);

create table probe_runs (
    id               uuid primary key,
    project          text not null,
    run_id           uuid,
    checkpoint_id    uuid,
    step             bigint,
    suite_version_id uuid references suite_versions (id),
    status           text not null,
    failure_reason   text,
    targets          jsonb not null default '[]'::jsonb,
    samples          int  not null default 1,
    total            int  not null default 0,
    done_count       int  not null default 0,
    error_count      int  not null default 0,
    cmp_total        int,
    cmp_changed      int,
    cmp_identical    int,
    last_progress_at timestamptz,
    created_at       timestamptz not null default now(),
    completed_at     timestamptz
);
create index probe_runs_project_idx on probe_runs (project, created_at desc);
create index probe_runs_run_idx on probe_runs (run_id);

create table outputs (
    id            uuid primary key,
    probe_run_id  uuid not null references probe_runs (id),
    probe_id      text not null,
    target_index  int  not null,
    endpoint_id   uuid not null references endpoints (id),
    endpoint_name text not null,
    model         text not null,
    sample        int  not null,
    params_sent   jsonb not null,
    params_key    text not null,
    status        text not null,          -- pending | done | error | cancelled
    text          text,
    reasoning     text,
    finish_reason text,
    prompt_tokens     int,
    completion_tokens int,
    latency_ms    bigint,
    server_model  text,
    attempts      int not null default 0,
    error         text,
    reused_from   uuid,
    created_at    timestamptz not null default now(),
    completed_at  timestamptz,
    constraint outputs_call_key unique (probe_run_id, probe_id, target_index, sample)
);
create index outputs_reuse_idx on outputs (endpoint_id, model, params_key, status);

create table outbox (
    id          uuid primary key,
    destination text not null default 'events',   -- events | work
    event_type  text not null,
    payload     jsonb not null,
    created_at  timestamptz not null default now(),
    published_at timestamptz
);
create index outbox_unpublished_idx on outbox (created_at) where published_at is null;

create table processed_event (
    event_id     uuid primary key,
    processed_at timestamptz not null default now()
);
