-- Longest model answer read per endpoint (bytes); null = the configured default (lookout.endpoints.max-response-bytes).
alter table endpoints add column max_response_bytes integer check (max_response_bytes > 0);
