package dev.lookout.proberunner.service;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import dev.lookout.proberunner.config.ProbeRunnerConfig;
import dev.lookout.proberunner.domain.ProjectQuota;
import dev.lookout.proberunner.repository.QuotaRepository;

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

    private final QuotaRepository quotas;
    private final ProbeRunnerConfig.Quotas defaults;

    public QuotaService(QuotaRepository quotas, ProbeRunnerConfig config) {
        this.quotas = quotas;
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
        quotas.lock(project);
        Limits limits = limits(project);
        long inFlight = quotas.inFlight(project);
        if (inFlight + calls > limits.maxInFlight()) {
            refuse(project, "in-flight", "maxInFlight", limits.maxInFlight(), inFlight, calls,
                    defaults.inFlightRetryAfter().toSeconds());
        }
        long day = quotas.callsLast24h(project);
        if (day + calls > limits.maxCallsPerDay()) {
            refuse(project, "24-hour", "maxCallsPerDay", limits.maxCallsPerDay(), day, calls,
                    quotas.secondsUntilFree(project, day, calls, limits.maxCallsPerDay()).orElse(24L * 3600));
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

    @Transactional(Transactional.TxType.SUPPORTS)
    public Limits limits(String project) {
        return limits(quotas.find(project).orElse(null));
    }

    private Limits limits(QuotaRepository.Override o) {
        return new Limits(or(o == null ? null : o.maxInFlight(), defaults.maxInFlight()),
                or(o == null ? null : o.maxCallsPerDay(), defaults.maxCallsPerDay()),
                or(o == null ? null : o.maxCallsPerRun(), defaults.maxCallsPerRun()));
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public ProjectQuota get(Caller caller, String project) {
        caller.requireProject(project);
        QuotaRepository.Override o = quotas.find(project).orElse(null);
        Limits l = limits(o);
        ProjectQuota.Overrides overrides = o == null ? new ProjectQuota.Overrides(null, null, null)
                : new ProjectQuota.Overrides(o.maxInFlight(), o.maxCallsPerDay(), o.maxCallsPerRun());
        return new ProjectQuota(project, l.maxInFlight(), l.maxCallsPerDay(), l.maxCallsPerRun(), overrides,
                quotas.inFlight(project), quotas.callsLast24h(project), o == null ? null : o.updatedAt(),
                o == null ? null : o.updatedBy());
    }

    /** Stores the overrides (all null: removes them, back to the defaults). */
    public ProjectQuota put(Caller caller, String project, ProjectQuota.Overrides settings, String user) {
        caller.requireProject(project);
        if (settings.maxInFlight() == null && settings.maxCallsPerDay() == null && settings.maxCallsPerRun() == null) {
            quotas.delete(project);
        } else {
            quotas.store(project, settings.maxInFlight(), settings.maxCallsPerDay(), settings.maxCallsPerRun(), user);
        }
        return get(caller, project);
    }

    private static int or(Integer value, int fallback) {
        return value == null ? fallback : value;
    }
}
