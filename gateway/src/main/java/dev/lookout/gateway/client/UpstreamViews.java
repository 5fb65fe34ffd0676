package dev.lookout.gateway.client;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

import java.time.Instant;
import java.util.List;

/** What the gateway reads from the backends for the round report (unknown fields are ignored). */
public final class UpstreamViews {

    private UpstreamViews() {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Target(String endpoint, String model) {
    }

    /** ingest GET /api/runs/{run}. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record RunView(String id, String project, String name, Target baseline, String suite, String status) {
    }

    /** ingest GET /api/runs/{run}/checkpoints (step order). */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record CheckpointView(String id, String runId, Long step, String label, Target target, Double trainLoss,
            Double evalLoss, Double trainLossDelta, Double evalLossDelta) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Comparison(Integer total, Integer changed, Integer identical, Double shareChanged) {
    }

    /** probe-runner GET /api/probe-runs?run=. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record ProbeRunView(String id, String runId, String checkpointId, Long step, String suiteVersionId,
            String status, Integer total, Instant createdAt, Comparison comparison) {
    }

    /** probe-runner GET /api/comparisons: only the aggregates (the items are ignored). */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record ComparisonView(String suiteVersionId, String probeRunId, Target candidate, Target baseline,
            Integer total, Integer changed, Integer errors, Double shareChanged, Boolean identicalToBaseline,
            ChecksView checks, List<StockPhraseView> stockPhrases) {
    }

    /** The comparison's check aggregates; {@code passRateChange} = candidate − baseline pass rate. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record ChecksView(Integer evaluated, Double candidatePassRate, Double baselinePassRate,
            Double passRateChange, Integer fixed, Integer broken) {
    }

    /** A phrase the candidate says much more often than the baseline. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record StockPhraseView(String phrase, Integer candidateCount, Integer baselineCount, Double candidateShare,
            Double baselineShare) {
    }

    /** review GET /api/verdicts?run=. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record VerdictView(String checkpointId, String probeRunId, Integer wins, Integer ties, Integer losses,
            Integer bothBad, Integer votes, Double winRate, Double low, Double high, Boolean decided) {
    }

    /** review GET /api/review-batches/open-coverage. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record CoverageView(Boolean covered) {
    }

    /** ingest GET /api/runs/{run}/alarms. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record AlarmView(String kind, String severity, Long fromStep, Long toStep, String message) {
    }

    public static <T> List<T> orEmpty(List<T> list) {
        return list == null ? List.of() : list;
    }
}
