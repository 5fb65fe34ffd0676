package dev.lookout.proberunner.rest;

import java.util.List;

/**
 * Over the checks evaluated on both sides (probes where both answered); null when the suite has no checks.
 * {@code brokenChecks}/{@code fixedChecks}: which checks the counts are made of.
 */
public record ChecksSummary(int evaluated, int notEvaluated, double candidatePassRate, double baselinePassRate,
        double passRateChange, int fixed, int broken, List<TagChecks> byTag, List<NamedCheck> brokenChecks,
        List<NamedCheck> fixedChecks) {
}
