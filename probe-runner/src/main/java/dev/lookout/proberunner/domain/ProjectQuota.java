package dev.lookout.proberunner.domain;

import java.time.Instant;

/**
 * A project's effective call limits (override or default), the overrides themselves, and the current use: calls in
 * flight and calls queued in the last 24 hours.
 */
public record ProjectQuota(String project, int maxInFlight, int maxCallsPerDay, int maxCallsPerRun,
        Overrides overrides, long inFlight, long callsLast24h, Instant updatedAt, String updatedBy) {

    /** Each limit set for the project, or null for the configured default. */
    public record Overrides(Integer maxInFlight, Integer maxCallsPerDay, Integer maxCallsPerRun) {
    }
}
