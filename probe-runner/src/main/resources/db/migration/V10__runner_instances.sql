-- Liveness of probe-runner instances, for the cross-instance concurrency cap (client/EndpointLimiter). Each instance
-- (a holder id per start, a new one after it was presumed dead) beats every lookout.calls.instance-heartbeat (1 s):
-- alive_until = now() + instance-expiry (4 s), only while the row has not expired yet. An expired row never comes
-- back to life, so once alive_until < now() the instance is dead for good: any instance may take over the
-- endpoint_slots it held (and the asks it made) without waiting for their leases, which cover a whole call budget.
-- A holder without a row (an instance of an older version) is treated as alive: only its leases expire.
create table runner_instances (
    instance_id text primary key,
    alive_until timestamptz not null,
    started_at  timestamptz not null default now()
);
create index runner_instances_alive_until_idx on runner_instances (alive_until);
