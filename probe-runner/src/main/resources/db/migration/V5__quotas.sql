-- Per-project call budgets: the model calls each probe run queued (answers reused from earlier runs are not calls),
-- counted over a rolling 24 hours, and admin overrides of the configured defaults.

alter table probe_runs add column calls int not null default 0;
-- runs stored before this column: count every output as a call (the conservative reading)
update probe_runs set calls = total where created_at > now() - interval '24 hours';

create table project_quotas (
    project            text primary key,
    -- null: the configured default (lookout.quotas.*)
    max_in_flight      int check (max_in_flight >= 0),
    max_calls_per_day  int check (max_calls_per_day >= 0),
    max_calls_per_run  int check (max_calls_per_run >= 0),
    updated_at         timestamptz not null default now(),
    updated_by         text
);
