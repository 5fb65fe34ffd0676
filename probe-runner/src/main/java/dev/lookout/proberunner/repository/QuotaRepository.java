package dev.lookout.proberunner.repository;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.sql.Timestamp;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;

import org.hibernate.query.NativeQuery;

/** Table {@code project_quotas} (per-project overrides) and the use the quotas count, from {@code probe_runs}. */
@ApplicationScoped
public class QuotaRepository {

    /** A project's overrides: each limit, or null for the configured default; who set them, and when. */
    public record Override(Integer maxInFlight, Integer maxCallsPerDay, Integer maxCallsPerRun, Instant updatedAt,
            String updatedBy) {
    }

    private final EntityManager em;

    public QuotaRepository(EntityManager em) {
        this.em = em;
    }

    /** The project's quota lock, held until the transaction ends (concurrent starts of one project queue up). */
    public void lock(String project) {
        em.createNativeQuery("select count(*) from (select pg_advisory_xact_lock(hashtext(:k))) l")
                .setParameter("k", "lookout.quota:" + project).getSingleResult();
    }

    public Optional<Override> find(String project) {
        List<?> rows = em.createNativeQuery("""
                select max_in_flight, max_calls_per_day, max_calls_per_run, updated_at, updated_by
                from project_quotas where project = :p
                """).setParameter("p", project).getResultList();
        if (rows.isEmpty()) {
            return Optional.empty();
        }
        Object[] row = (Object[]) rows.get(0);
        return Optional.of(new Override(integer(row[0]), integer(row[1]), integer(row[2]), instant(row[3]),
                (String) row[4]));
    }

    /** Inserts or replaces the project's overrides. */
    public void store(String project, Integer maxInFlight, Integer maxCallsPerDay, Integer maxCallsPerRun,
            String user) {
        em.createNativeQuery("""
                insert into project_quotas (project, max_in_flight, max_calls_per_day, max_calls_per_run,
                  updated_at, updated_by)
                values (:p, :f, :d, :r, now(), :u)
                on conflict (project) do update set max_in_flight = excluded.max_in_flight,
                  max_calls_per_day = excluded.max_calls_per_day, max_calls_per_run = excluded.max_calls_per_run,
                  updated_at = excluded.updated_at, updated_by = excluded.updated_by
                """).unwrap(NativeQuery.class).setParameter("p", project)
                .setParameter("f", maxInFlight, Integer.class)
                .setParameter("d", maxCallsPerDay, Integer.class)
                .setParameter("r", maxCallsPerRun, Integer.class)
                .setParameter("u", user).executeUpdate();
    }

    public void delete(String project) {
        em.createNativeQuery("delete from project_quotas where project = :p").setParameter("p", project)
                .executeUpdate();
    }

    /** Calls not finished yet of the project's queued and running runs. */
    public long inFlight(String project) {
        return ((Number) em.createNativeQuery("""
                select coalesce(sum(greatest(total - done_count - error_count, 0)), 0) from probe_runs
                where project = :p and status in ('queued', 'running')
                """).setParameter("p", project).getSingleResult()).longValue();
    }

    /** Calls queued by the project's runs of the last 24 hours. */
    public long callsLast24h(String project) {
        return ((Number) em.createNativeQuery("""
                select coalesce(sum(calls), 0) from probe_runs
                where project = :p and created_at > now() - interval '24 hours'
                """).setParameter("p", project).getSingleResult()).longValue();
    }

    /**
     * Seconds until enough of the window's oldest runs leave it for {@code calls} more to fit under {@code limit}
     * ({@code used} now); empty when no run leaving does it.
     */
    public Optional<Long> secondsUntilFree(String project, long used, int calls, int limit) {
        List<?> rows = em.createNativeQuery("""
                select ceil(extract(epoch from (created_at + interval '24 hours' - now()))) from (
                  select created_at, sum(calls) over (order by created_at, id) as freed from probe_runs
                  where project = :p and created_at > now() - interval '24 hours' and calls > 0) w
                where :used - freed + :calls <= :limit order by created_at limit 1
                """).setParameter("p", project).setParameter("used", used).setParameter("calls", calls)
                .setParameter("limit", limit).getResultList();
        return rows.isEmpty() || rows.get(0) == null ? Optional.empty()
                : Optional.of(((Number) rows.get(0)).longValue());
    }

    private static Integer integer(Object v) {
        return v == null ? null : ((Number) v).intValue();
    }

    private static Instant instant(Object v) {
        if (v instanceof Instant i) {
            return i;
        }
        if (v instanceof OffsetDateTime o) {
            return o.toInstant();
        }
        return v instanceof Timestamp t ? t.toInstant() : null;
    }
}
