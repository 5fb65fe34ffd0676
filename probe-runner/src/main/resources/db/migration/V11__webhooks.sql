-- Per-project webhooks (notify/): signed HTTP notifications fed from events through the delivery table below, which
-- is their outbox. The secret is AES-GCM ciphertext (same key and format as endpoint API keys), never returned.
create table webhooks (
    id          uuid primary key,
    project     text not null,
    url         text not null,
    events      jsonb not null,
    format      text not null check (format in ('json', 'slack')),
    secret_enc  text not null,
    enabled     boolean not null default true,
    created_at  timestamptz not null,
    updated_at  timestamptz not null,
    updated_by  text
);
create index webhooks_project on webhooks (project);

-- One row per (webhook, event): the unique key makes a redelivered event create nothing. The body is stored exactly
-- as it is sent (the signature covers these bytes).
create table webhook_deliveries (
    id               uuid primary key,
    webhook_id       uuid not null references webhooks (id) on delete cascade,
    project          text not null,
    event_type       text not null,
    event_id         uuid not null,
    body             text not null,
    state            text not null check (state in ('pending', 'delivered', 'failed')),
    attempts         int not null default 0,
    next_attempt_at  timestamptz,
    last_status      int,
    last_error       text,
    created_at       timestamptz not null,
    updated_at       timestamptz not null,
    delivered_at     timestamptz,
    unique (webhook_id, event_id)
);
create index webhook_deliveries_due on webhook_deliveries (next_attempt_at) where state = 'pending';
create index webhook_deliveries_log on webhook_deliveries (webhook_id, created_at desc, id desc);

-- Events already turned into deliveries (dedupe by eventId, in the same transaction as the deliveries).
create table webhook_processed_events (
    event_id      uuid primary key,
    event_type    text not null,
    processed_at  timestamptz not null default now()
);

-- Last verdict state seen per review batch: verdict.updated notifies only when it turns decided.
create table webhook_verdict_states (
    batch_id    uuid primary key,
    decided     boolean not null,
    updated_at  timestamptz not null default now()
);

-- Run names seen on ingest's events (run.created, checkpoint.registered), so notifications can name the run.
create table webhook_run_names (
    run_id   uuid primary key,
    name     text not null
);
