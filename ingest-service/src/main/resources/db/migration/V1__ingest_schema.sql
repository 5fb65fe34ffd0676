-- Runs: one training job in a project.
create table runs (
    id               uuid primary key,
    project          text        not null,
    name             text        not null,
    labels           jsonb       not null default '{}'::jsonb,
    baseline_endpoint text       not null,
    baseline_model   text        not null,
    suite            text,
    status           text        not null default 'running'
                     check (status in ('running', 'finished', 'failed', 'stalled')),
    created_at       timestamptz not null default now(),
    updated_at       timestamptz not null default now(),
    last_point_at    timestamptz,
    constraint runs_project_name_uk unique (project, name)
);
create index runs_project_idx on runs (project, created_at);

-- Metric points: NaN and +/-Infinity are valid double precision values and are stored as such.
create table metric_points (
    run_id    uuid             not null references runs (id) on delete cascade,
    name      text             not null,
    step      bigint           not null,
    value     double precision not null,
    wall_time timestamptz,
    primary key (run_id, name, step)
);

create table checkpoints (
    id              uuid primary key,
    run_id          uuid        not null references runs (id) on delete cascade,
    step            bigint      not null,
    label           text,
    target_endpoint text        not null,
    target_model    text        not null,
    created_at      timestamptz not null default now(),
    constraint checkpoints_run_step_uk unique (run_id, step)
);

-- Alarms: the natural key (run, kind, series, from_step) makes re-running detectors idempotent.
create table alarms (
    id         uuid primary key,
    run_id     uuid        not null references runs (id) on delete cascade,
    kind       text        not null,
    severity   text        not null check (severity in ('info', 'warning', 'critical')),
    series     text        not null,
    from_step  bigint      not null,
    to_step    bigint      not null,
    message    text        not null,
    evidence   jsonb       not null default '[]'::jsonb,
    created_at timestamptz not null default now(),
    constraint alarms_natural_uk unique (run_id, kind, series, from_step)
);
create index alarms_run_idx on alarms (run_id, from_step);

-- Transactional outbox (CONTRACTS: Events).
create table outbox (
    id           uuid primary key,
    event_type   text        not null,
    payload      jsonb       not null,
    created_at   timestamptz not null default now(),
    published_at timestamptz
);
create index outbox_unpublished_idx on outbox (created_at) where published_at is null;
