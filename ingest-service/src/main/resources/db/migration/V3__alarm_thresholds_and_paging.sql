-- Per-project alarm thresholds: only the knobs a project changed ({"spike.window": 30, ...}); everything
-- else follows the configured defaults (lookout.ingest.alarms.*), so changing a default reaches every project
-- that did not override it.
create table alarm_thresholds (
    project    text primary key,
    overrides  jsonb       not null default '{}'::jsonb,
    updated_at timestamptz not null default now(),
    updated_by text
);

-- Keyset paging of GET /api/runs (order by created_at, id), within a project and across all of them.
drop index runs_project_idx;
create index runs_project_idx on runs (project, created_at, id);
create index runs_created_idx on runs (created_at, id);
-- Keyset paging of alarms (from_step, created_at, id) and checkpoints (step; unique per run already).
drop index alarms_run_idx;
create index alarms_run_idx on alarms (run_id, from_step, created_at, id);
