-- Reuse only what cannot have changed: endpoints may declare their model names immutable; each output keeps what
-- the server reported about the weights behind it; a run counts the answers it copied instead of asking.
alter table endpoints add column immutable_models boolean not null default false;
alter table outputs add column weights_root text, add column system_fingerprint text;
alter table probe_runs add column reused_candidate int not null default 0,
                       add column reused_baseline int not null default 0;
