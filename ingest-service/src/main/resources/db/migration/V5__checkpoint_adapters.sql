-- A checkpoint may be a LoRA adapter probe-runner loads itself: the path the model server reads it from. Its
-- target is then (the endpoint that loads it, the name it is loaded under).
alter table checkpoints add column adapter_path text;
