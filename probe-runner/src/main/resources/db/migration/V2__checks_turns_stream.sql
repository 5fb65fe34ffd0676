-- Deep version of issue 4: check results stored with each output, earlier turns of multi-turn probes (MT-Bench),
-- endpoints that must be called with stream: true.

alter table outputs add column check_results jsonb;   -- [{type, pass: true|false|null}] aligned with the probe's checks
alter table outputs add column turns jsonb;           -- earlier turns' answers [{text, reasoning, finishReason}]; text = final turn

alter table endpoints add column stream boolean not null default false;
