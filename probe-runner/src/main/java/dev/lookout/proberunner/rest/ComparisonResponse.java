package dev.lookout.proberunner.rest;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * {@code computedAt}: when this result was computed (a cached comparison keeps it until the outputs behind it
 * change); {@code semantic}: null when the project has semantic similarity off.
 */
public record ComparisonResponse(UUID suiteVersionId, UUID probeRunId, String project, TargetRef candidate,
        TargetRef baseline, int total, int changed, int errors, double shareChanged, boolean identicalToBaseline,
        double changedThreshold, List<ComparisonItem> items, LengthDrift lengthDrift, ChecksSummary checks,
        List<StockPhraseDto> stockPhrases, SemanticSummary semantic, Instant computedAt, ReusedCounts reused) {
}
