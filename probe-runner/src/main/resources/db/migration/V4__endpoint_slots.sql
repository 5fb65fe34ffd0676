-- Cross-instance concurrency cap: one row per slot of an endpoint (slot_no 0 .. max_concurrency - 1).
-- An instance may only call an endpoint on a slot it holds with an unexpired lease (client/EndpointLimiter,
-- repository/SlotTable). A free slot has holder null; an expired lease (lease_until < now()) may be taken over.
-- wanted_by/wanted_until: another instance with waiting calls and less than its fair share asks for this slot; the
-- holder gives it back after its current call and only the asker may take it until wanted_until.
create table endpoint_slots (
    endpoint_id  uuid not null references endpoints (id) on delete cascade,
    slot_no      int  not null,
    holder       text,
    lease_until  timestamptz,
    wanted_by    text,
    wanted_until timestamptz,
    primary key (endpoint_id, slot_no)
);
create index endpoint_slots_holder_idx on endpoint_slots (holder) where holder is not null;

-- The rows follow endpoints.max_concurrency, whoever changes it (API, migration, by hand): a raised cap adds free
-- slots, a lowered one deletes the top slots (their holder drops them at its next renewal).
create function sync_endpoint_slots() returns trigger language plpgsql as $$
begin
    insert into endpoint_slots (endpoint_id, slot_no)
    select new.id, n from generate_series(0, greatest(new.max_concurrency, 1) - 1) as n
    on conflict do nothing;
    delete from endpoint_slots where endpoint_id = new.id and slot_no >= greatest(new.max_concurrency, 1);
    return null;
end;
$$;

create trigger endpoints_sync_slots
    after insert or update of max_concurrency on endpoints
    for each row execute function sync_endpoint_slots();

insert into endpoint_slots (endpoint_id, slot_no)
select e.id, n from endpoints e, generate_series(0, greatest(e.max_concurrency, 1) - 1) as n;
