package dev.lookout.proberunner.rest;

import java.time.Instant;

import jakarta.validation.constraints.PositiveOrZero;

import dev.lookout.proberunner.domain.ProjectQuota;

/** Wire types of {@code /api/projects/{key}/quotas}. */
public final class QuotaDtos {

    private QuotaDtos() {
    }

    /** PUT body: each limit, or null for the configured default. All null: back to the defaults. */
    public record QuotaSettings(@PositiveOrZero Integer maxInFlight, @PositiveOrZero Integer maxCallsPerDay,
            @PositiveOrZero Integer maxCallsPerRun) {
    }

    /**
     * The effective limits (override or default), the overrides themselves, and the current use: calls in flight
     * and calls queued in the last 24 hours.
     */
    public record QuotaResponse(String project, int maxInFlight, int maxCallsPerDay, int maxCallsPerRun,
            QuotaSettings overrides, long inFlight, long callsLast24h, Instant updatedAt, String updatedBy) {
    }

    static QuotaResponse response(ProjectQuota q) {
        ProjectQuota.Overrides o = q.overrides();
        return new QuotaResponse(q.project(), q.maxInFlight(), q.maxCallsPerDay(), q.maxCallsPerRun(),
                new QuotaSettings(o.maxInFlight(), o.maxCallsPerDay(), o.maxCallsPerRun()), q.inFlight(),
                q.callsLast24h(), q.updatedAt(), q.updatedBy());
    }
}
