package dev.lookout.proberunner.repository;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;

/**
 * Table {@code endpoint_slots} in plain JDBC (autocommit, one statement per operation): the leases behind the
 * cross-instance concurrency cap. All lease times are the database's clock ({@code now()}); what comes back is the
 * time a lease still has, so an instance never compares its own clock with another's. Table {@code runner_instances}
 * holds each instance's liveness (heartbeat): the slots of an instance whose row expired are free for anyone.
 * Blocking: worker threads only.
 */
@ApplicationScoped
public class SlotTable {

    /**
     * A slot this instance holds, how long its lease still runs (database clock, at the statement) and the
     * endpoint's current cap.
     */
    public record Lease(UUID endpointId, int slotNo, long remainingMs, int cap, boolean wantedElsewhere) {
    }

    /** A slot of an endpoint, to release. */
    public record SlotRef(UUID endpointId, int slotNo) {
    }

    /** What acquire and renew return per slot: see {@link Lease}. An ask by a dead instance does not count. */
    private static final String RETURNING = """
            s.endpoint_id, s.slot_no, (extract(epoch from s.lease_until - now()) * 1000)::bigint,
                (select e.max_concurrency from endpoints e where e.id = s.endpoint_id),
                s.wanted_by is not null and s.wanted_by <> s.holder and s.wanted_until >= now()
                and not exists (select 1 from runner_instances w where w.instance_id = s.wanted_by
                                and w.alive_until < now())""";

    private final DataSource dataSource;

    public SlotTable(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /**
     * Takes up to {@code wanted} free slots of an endpoint for {@code holder}, leased for {@code leaseMs}: never
     * held, lease expired, or held by a dead instance (its {@code runner_instances} row expired); a slot another
     * live instance asked for is left to it. Rows another transaction is taking are skipped, never waited for.
     */
    public List<Lease> acquire(UUID endpointId, String holder, int wanted, long leaseMs) {
        String sql = """
                update endpoint_slots s set holder = ?, lease_until = now() + ? * interval '1 millisecond',
                    wanted_by = null, wanted_until = null
                from (select endpoint_id, slot_no from endpoint_slots
                      where endpoint_id = ? and (holder is null or lease_until < now() or %s)
                        and (wanted_by is null or wanted_by = ? or wanted_until < now() or %s)
                      order by slot_no limit ? for update skip locked) f
                where s.endpoint_id = f.endpoint_id and s.slot_no = f.slot_no
                returning %s""".formatted(dead("holder"), dead("wanted_by"), RETURNING);
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, holder);
            ps.setLong(2, leaseMs);
            ps.setObject(3, endpointId);
            ps.setString(4, holder);
            ps.setInt(5, Math.max(0, wanted));
            return leases(ps);
        } catch (SQLException e) {
            throw new IllegalStateException("leasing slots failed: " + e.getMessage(), e);
        }
    }

    /**
     * Extends the leases of exactly the given slots that {@code holder} still holds to now + {@code leaseMs} (per
     * slot, same order). A slot that is not returned is no longer held (deleted by a lowered cap, taken over after
     * its lease expired or its holder was presumed dead). Only the slots named are renewed: a row the instance does
     * not hold locally (dropped, or taken by a statement that raced with this one) is never kept alive by it and
     * comes back when its lease expires.
     */
    public List<Lease> renew(String holder, List<SlotRef> slots, List<Long> leaseMs) {
        if (slots.isEmpty()) {
            return List.of();
        }
        String sql = """
                update endpoint_slots s set lease_until = now() + l.ms * interval '1 millisecond'
                from unnest(?::uuid[], ?::int[], ?::bigint[]) as l(endpoint_id, slot_no, ms)
                where s.endpoint_id = l.endpoint_id and s.slot_no = l.slot_no and s.holder = ?
                  and s.lease_until >= now()
                returning %s""".formatted(RETURNING);
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setArray(1, c.createArrayOf("uuid", slots.stream().map(SlotRef::endpointId).toArray()));
            ps.setArray(2, c.createArrayOf("int", slots.stream().map(SlotRef::slotNo).toArray()));
            ps.setArray(3, c.createArrayOf("bigint", leaseMs.toArray()));
            ps.setString(4, holder);
            return leases(ps);
        } catch (SQLException e) {
            throw new IllegalStateException("renewing slot leases failed: " + e.getMessage(), e);
        }
    }

    /**
     * The heartbeat of instance {@code holder}: registers it (a new id) or extends its liveness to now +
     * {@code expiryMs}, but only while its row has not expired. Returns how long it is now alive for (database
     * clock), or -1 when the row had expired: the instance was presumed dead and others may have taken its slots; it
     * must stop its calls and go on under a new id. A new id also deletes rows dead for a day.
     */
    public long heartbeat(String holder, long expiryMs, boolean register) {
        String sql = """
                insert into runner_instances (instance_id, alive_until) values (?, now() + ? * interval '1 millisecond')
                on conflict (instance_id) do update set alive_until = excluded.alive_until
                    where runner_instances.alive_until >= now()
                returning (extract(epoch from alive_until - now()) * 1000)::bigint""";
        try (Connection c = dataSource.getConnection()) {
            if (register) {
                try (PreparedStatement ps = c.prepareStatement(
                        "delete from runner_instances where alive_until < now() - interval '1 day'")) {
                    ps.executeUpdate();
                }
            }
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                ps.setString(1, holder);
                ps.setLong(2, expiryMs);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Math.max(0, rs.getLong(1)) : -1;
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("instance heartbeat failed: " + e.getMessage(), e);
        }
    }

    /**
     * Declares {@code holder} dead now and frees every slot it still holds (shutdown, or an instance that found
     * itself presumed dead and stopped its calls): others need not wait for the expiry.
     */
    public void retire(String holder) {
        try (Connection c = dataSource.getConnection()) {
            try (PreparedStatement ps = c.prepareStatement("""
                    update runner_instances set alive_until = least(alive_until, now() - interval '1 millisecond')
                    where instance_id = ?""")) {
                ps.setString(1, holder);
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement(
                    "update endpoint_slots set holder = null, lease_until = null where holder = ?")) {
                ps.setString(1, holder);
                ps.executeUpdate();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("retiring instance failed: " + e.getMessage(), e);
        }
    }

    /**
     * Asks other holders for slots, up to {@code holder}'s guaranteed share: share = floor(cap / live holders incl.
     * itself), at least 1; it asks for share less what it holds and has already asked for, only from holders above
     * the share, most loaded first (so two instances with work split the cap, and with fewer slots than instances
     * the slots rotate). The asks it already has are kept alive for {@code askMs}. Returns the slots asked for (new
     * or kept). A holder gives an asked-for slot back after its current call (see {@link #renew}); until the ask
     * expires only the asker may take it.
     */
    public int ask(UUID endpointId, String holder, int wanted, long askMs) {
        String refresh = """
                update endpoint_slots set wanted_until = now() + ? * interval '1 millisecond'
                where endpoint_id = ? and wanted_by = ? and wanted_until >= now()""";
        String mark = """
                with state as (
                    select count(*) as cap,
                           count(distinct holder) filter (where holder <> ? and lease_until >= now()) + 1 as n,
                           count(*) filter (where holder = ? and lease_until >= now()) as held,
                           count(*) filter (where wanted_by = ? and wanted_until >= now()) as asked
                    from endpoint_slots where endpoint_id = ?),
                ranked as (
                    select slot_no, row_number() over (partition by holder order by slot_no desc) as rn,
                           count(*) over (partition by holder) as kept
                    from endpoint_slots
                    where endpoint_id = ? and holder <> ? and lease_until >= now()
                      and (wanted_by is null or wanted_until < now())),
                pick as (
                    select r.slot_no from ranked r, state st
                    where r.rn <= r.kept - floor(st.cap::numeric / st.n)
                    order by r.kept desc, r.rn
                    limit (select greatest(0, least(?, greatest(1, floor(cap::numeric / n))::int - held - asked)) from state))
                update endpoint_slots s set wanted_by = ?, wanted_until = now() + ? * interval '1 millisecond'
                from pick p
                where s.endpoint_id = ? and s.slot_no = p.slot_no
                  and (s.wanted_by is null or s.wanted_until < now())""";
        try (Connection c = dataSource.getConnection()) {
            int kept;
            try (PreparedStatement ps = c.prepareStatement(refresh)) {
                ps.setLong(1, askMs);
                ps.setObject(2, endpointId);
                ps.setString(3, holder);
                kept = ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement(mark)) {
                ps.setString(1, holder);
                ps.setString(2, holder);
                ps.setString(3, holder);
                ps.setObject(4, endpointId);
                ps.setObject(5, endpointId);
                ps.setString(6, holder);
                ps.setInt(7, Math.max(0, wanted));
                ps.setString(8, holder);
                ps.setLong(9, askMs);
                ps.setObject(10, endpointId);
                return kept + ps.executeUpdate();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("asking for slots failed: " + e.getMessage(), e);
        }
    }

    /** Gives slots back (only those {@code holder} still holds); returns how many were released. */
    public int release(String holder, List<SlotRef> slots) {
        if (slots.isEmpty()) {
            return 0;
        }
        String sql = """
                update endpoint_slots s set holder = null, lease_until = null
                from unnest(?::uuid[], ?::int[]) as r(endpoint_id, slot_no)
                where s.endpoint_id = r.endpoint_id and s.slot_no = r.slot_no and s.holder = ?""";
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setArray(1, c.createArrayOf("uuid", slots.stream().map(SlotRef::endpointId).toArray()));
            ps.setArray(2, c.createArrayOf("int", slots.stream().map(SlotRef::slotNo).toArray()));
            ps.setString(3, holder);
            return ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("releasing slots failed: " + e.getMessage(), e);
        }
    }

    /** An instance id column naming an instance whose liveness row has expired (no row: an older version, alive). */
    private static String dead(String column) {
        return "exists (select 1 from runner_instances i where i.instance_id = endpoint_slots." + column
                + " and i.alive_until < now())";
    }

    private static List<Lease> leases(PreparedStatement ps) throws SQLException {
        List<Lease> result = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                result.add(new Lease(rs.getObject(1, UUID.class), rs.getInt(2), rs.getLong(3), rs.getInt(4),
                        rs.getBoolean(5)));
            }
        }
        return result;
    }
}
