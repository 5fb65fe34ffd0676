-- Things a probe run's reader should know that did not stop it, e.g. a target model its endpoint's /v1/models does
-- not list (JSON array of sentences, appended after the run was created).
alter table probe_runs add column warnings jsonb not null default '[]'::jsonb;
