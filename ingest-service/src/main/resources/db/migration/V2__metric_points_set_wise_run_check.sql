-- Metric points are written set-wise (binary COPY for new steps, INSERT … SELECT … ON CONFLICT otherwise).
-- The row-level foreign key to runs checked (and key-share locked) the run once per point, which cost more
-- than writing the point. The same guarantees now hold per statement:
--  * every inserted point's run exists, and is key-share locked until commit as the foreign key did
--    (one lock per distinct run of the statement, not one per point);
--  * deleting a run still deletes its points (was ON DELETE CASCADE).
alter table metric_points drop constraint metric_points_run_id_fkey;

create function metric_points_check_runs() returns trigger language plpgsql as $$
declare
    wanted bigint;
    locked bigint;
begin
    select count(distinct run_id) into wanted from new_points;
    perform 1 from ingest.runs r where r.id in (select run_id from new_points) for key share of r;
    get diagnostics locked = row_count;
    if locked < wanted then
        raise exception 'insert or update on table "metric_points" violates the run reference: run does not exist'
            using errcode = 'foreign_key_violation';
    end if;
    return null;
end $$;

create trigger metric_points_check_runs after insert on metric_points
    referencing new table as new_points for each statement execute function metric_points_check_runs();

create function runs_delete_metric_points() returns trigger language plpgsql as $$
begin
    delete from ingest.metric_points m using old_runs o where m.run_id = o.id;
    return null;
end $$;

create trigger runs_delete_metric_points after delete on runs
    referencing old table as old_runs for each statement execute function runs_delete_metric_points();

-- runs.id never changes (the service assigns it once); refuse it as the foreign key's NO ACTION did.
create function runs_keep_id() returns trigger language plpgsql as $$
begin
    if new.id is distinct from old.id then
        raise exception 'runs.id cannot change' using errcode = 'foreign_key_violation';
    end if;
    return new;
end $$;

create trigger runs_keep_id before update of id on runs for each row execute function runs_keep_id();
