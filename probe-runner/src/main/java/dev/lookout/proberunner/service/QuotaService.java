package dev.lookout.proberunner.service;

import java.time.Instant;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import dev.lookout.proberunner.config.ProbeRunnerConfig;
import dev.lookout.proberunner.rest.QuotaDtos.QuotaResponse;
import dev.lookout.proberunner.rest.QuotaDtos.QuotaSettings;

/**
 * Per-project call budgets (defaults in {@code lookout.quotas.*}, admin overrides in table {@code project_quotas}):
 * <ul>
 * <li><b>max-calls-per-run</b>: outputs one probe run holds (probes × targets × samples), so the transaction that
 * creates a run and its rows is bounded — a larger run is refused with 422 (waiting cannot help);</li>
 * <li><b>max-in-flight</b>: calls of the project queued and not finished (queued/running runs' total − done −
 * errors) plus the new run's calls;</li>
 * <li><b>max-calls-per-day</b>: model calls queued by the project's runs created in the last 24 hours (a rolling
 * window, not a calendar day; answers reused from earlier runs are not calls; a cancelled run's calls still count).</li>
 * </ul>
 * Checks of one project are serialised by a transaction-scoped advisory lock taken before the use is read, so two
 * concurrent requests cannot both squeeze under a limit. Refusals throw {@link QuotaExceededException} without
 * marking the caller's transaction for rollback (@Rollback(false) on it: an auto-probe records a failed run in it).
 */
@ApplicationScoped
@Transactional
public class QuotaService {

    /** The limits in force for a project. */
    public record Limits(int maxInFlight, int maxCallsPerDay, int maxCallsPerRun) {
    }

    private final EntityManager em;
    private final ProbeRunnerConfig.Quotas defaults;

    public QuotaService(EntityManager em, ProbeRunnerConfig config) {
        this.em = em;
        this.defaults = config.quotas();
    }

    /** 422 when a run of {@code outputs} rows (probes × targets × samples) exceeds the per-run cap. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void checkRunSize(String project, long outputs) {
        int cap = limits(project).maxCallsPerRun();
        if (outputs > cap) {
            throw QuotaExceededException.never("This probe run would make " + outputs + " calls (probes × targets × "
                    + "samples), more than the per-run cap of project " + project + " (maxCallsPerRun = " + cap
                    + "): split the suite or use fewer targets or samples");
        }
    }

    /**
     * Takes the project's quota lock (held until commit) and refuses {@code calls} new model calls that would exceed
     * the in-flight or the 24-hour quota.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void checkCalls(String project, int calls) {
        if (calls <= 0) {
            return;
        }
        em.createNativeQuery("select count(*) from (select pg_advisory_xact_lock(hashtext(:k))) l")
                .setParameter("k", "lookout.quota:" + project).getSingleResult();
        Limits limits = limits(project);
        long inFlight = inFlight(project);
        if (inFlight + calls > limits.maxInFlight()) {
            refuse(project, "in-flight", "maxInFlight", limits.maxInFlight(), inFlight, calls,
                    defaults.inFlightRetryAfter().toSeconds());
        }
        long day = callsLast24h(project);
        if (day + calls > limits.maxCallsPerDay()) {
            refuse(project, "24-hour", "maxCallsPerDay", limits.maxCallsPerDay(), day, calls,
                    dayRetryAfter(project, day, calls, limits.maxCallsPerDay()));
        }
    }

    private static void refuse(String project, String quota, String name, int limit, long used, int calls,
            long retryAfter) {
        if (calls > limit) {
            throw QuotaExceededException.never("This probe run needs " + calls + " model calls, more than the whole "
                    + quota + " quota of project " + project + " (" + name + " = " + limit + ")");
        }
        throw QuotaExceededException.retryLater("This probe run needs " + calls + " model calls; the " + quota
                + " quota of project " + project + " is " + limit + " calls (" + name + ") and " + used
                + " are already used. Retry in " + Math.max(1, retryAfter) + " s.", retryAfter);
    }

    /** Seconds until enough of the window's oldest runs leave it for {@code calls} more to fit. */
    private long dayRetryAfter(String project, long used, int calls, int limit) {
        List<?> rows = em.createNativeQuery("""
                select ceil(extract(epoch from (created_at + interval '24 hours' - now()))) from (
                  select created_at, sum(calls) over (order by created_at, id) as freed from probe_runs
                  where project = :p and created_at > now() - interval '24 hours' and calls > 0) w
                where :used - freed + :calls <= :limit order by created_at limit 1
                """).setParameter("p", project).setParameter("used", used).setParameter("calls", calls)
                .setParameter("limit", limit).getResultList();
        return rows.isEmpty() || rows.get(0) == null ? 24 * 3600 : ((Number) rows.get(0)).longValue();
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public Limits limits(String project) {
        Object[] row = override(project);
        return new Limits(or(row, 0, defaults.maxInFlight()), or(row, 1, defaults.maxCallsPerDay()),
                or(row, 2, defaults.maxCallsPerRun()));
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public QuotaResponse get(Caller caller, String project) {
        caller.requireProject(project);
        Object[] row = override(project);
        Limits l = limits(project);
        QuotaSettings overrides = new QuotaSettings(value(row, 0), value(row, 1), value(row, 2));
        return new QuotaResponse(project, l.maxInFlight(), l.maxCallsPerDay(), l.maxCallsPerRun(), overrides,
                inFlight(project), callsLast24h(project), row == null ? null : instant(row[3]),
                row == null ? null : (String) row[4]);
    }

    /** Stores the overrides (all null: removes them, back to the defaults). */
    public QuotaResponse put(Caller caller, String project, QuotaSettings settings, String user) {
        caller.requireProject(project);
        if (settings.maxInFlight() == null && settings.maxCallsPerDay() == null && settings.maxCallsPerRun() == null) {
            em.createNativeQuery("delete from project_quotas where project = :p").setParameter("p", project)
                    .executeUpdate();
        } else {
            em.createNativeQuery("""
                    insert into project_quotas (project, max_in_flight, max_calls_per_day, max_calls_per_run,
                      updated_at, updated_by)
                    values (:p, :f, :d, :r, now(), :u)
                    on conflict (project) do update set max_in_flight = excluded.max_in_flight,
                      max_calls_per_day = excluded.max_calls_per_day, max_calls_per_run = excluded.max_calls_per_run,
                      updated_at = excluded.updated_at, updated_by = excluded.updated_by
                    """).unwrap(org.hibernate.query.NativeQuery.class).setParameter("p", project)
                    .setParameter("f", settings.maxInFlight(), Integer.class)
                    .setParameter("d", settings.maxCallsPerDay(), Integer.class)
                    .setParameter("r", settings.maxCallsPerRun(), Integer.class)
                    .setParameter("u", user).executeUpdate();
        }
        return get(caller, project);
    }

    private long inFlight(String project) {
        return ((Number) em.createNativeQuery("""
                select coalesce(sum(greatest(total - done_count - error_count, 0)), 0) from probe_runs
                where project = :p and status in ('queued', 'running')
                """).setParameter("p", project).getSingleResult()).longValue();
    }

    private long callsLast24h(String project) {
        return ((Number) em.createNativeQuery("""
                select coalesce(sum(calls), 0) from probe_runs
                where project = :p and created_at > now() - interval '24 hours'
                """).setParameter("p", project).getSingleResult()).longValue();
    }

    private Object[] override(String project) {
        List<?> rows = em.createNativeQuery("""
                select max_in_flight, max_calls_per_day, max_calls_per_run, updated_at, updated_by
                from project_quotas where project = :p
                """).setParameter("p", project).getResultList();
        return rows.isEmpty() ? null : (Object[]) rows.get(0);
    }

    private static Instant instant(Object v) {
        if (v instanceof Instant i) {
            return i;
        }
        if (v instanceof java.time.OffsetDateTime o) {
            return o.toInstant();
        }
        return v instanceof java.sql.Timestamp t ? t.toInstant() : null;
    }

    private static Integer value(Object[] row, int i) {
        return row == null || row[i] == null ? null : ((Number) row[i]).intValue();
    }

    private static int or(Object[] row, int i, int fallback) {
        Integer v = value(row, i);
        return v == null ? fallback : v;
    }
}
