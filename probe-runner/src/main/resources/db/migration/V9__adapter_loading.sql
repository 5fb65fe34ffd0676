-- Checkpoints served as LoRA adapters the runner loads itself (vLLM's runtime LoRA API): an endpoint says whether it
-- can (adapter_loading) and whether an adapter is unloaded once its probe run is over; a probe run whose targets
-- name adapters waits in adapter_state 'loading' (its calls not yet queued) until every adapter is loaded.
alter table endpoints add column adapter_loading text not null default 'none'
                          constraint endpoints_adapter_loading_ck check (adapter_loading in ('none', 'vllm')),
                      add column unload_adapter_after_run boolean not null default true;
alter table probe_runs add column adapter_state text
                           constraint probe_runs_adapter_state_ck
                           check (adapter_state in ('loading', 'loaded', 'failed', 'unloaded')),
                       add column adapter_load_started_at timestamptz;
create index probe_runs_adapter_loading_idx on probe_runs (adapter_load_started_at) where adapter_state = 'loading';
